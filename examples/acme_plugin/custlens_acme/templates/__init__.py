"""The plugin's Jinja2 narratives, read as package data by ``custlens.templates.render``."""

"""``custlens new-plugin NAME``: write a working plugin skeleton (a package with an entry point,
one analysis, its narrative template, a README and a passing test) that its author then edits.

The files are Jinja2 templates in prompts_and_templates/new_plugin/, so the skeleton is plain text
to read and change, and it is tested the way a user runs it (tests/test_new_plugin.py).
"""

from __future__ import annotations

import importlib.util
import keyword
import re
from pathlib import Path

from . import __version__
from .errors import ParamsError
from .templates import render

#: template -> file in the skeleton ({module} is the Python package name)
FILES = {
    "new_plugin/pyproject.toml.j2": "pyproject.toml",
    "new_plugin/README.md.j2": "README.md",
    "new_plugin/module.py.j2": "{module}/__init__.py",
    "new_plugin/narrative.md.j2": "{module}/templates/{module}.md.j2",
    "new_plugin/test_plugin.py.j2": "tests/test_{module}.py",
}
TEMPLATES_INIT = '"""The plugin\'s Jinja2 narratives, read as package data by custlens.templates.render."""\n'


def module_name(name: str) -> str:
    """NAME with dashes as underscores, checked to be a new Python package name."""
    module = name.strip().replace("-", "_")
    if not module.isidentifier() or keyword.iskeyword(module) or not re.fullmatch(r"[a-z][a-z0-9_]*", module):
        raise ParamsError(f"{name!r} cannot name a plugin: use lowercase letters, digits, '-' and '_', starting "
                          "with a letter (it becomes the Python package name, dashes as underscores), "
                          "e.g. acme-loyalty.")
    if importlib.util.find_spec(module) is not None:
        raise ParamsError(f"{name!r}: a module named {module!r} already exists here (Python's own or an installed "
                          "package); the plugin would hide it or be hidden. Choose another name, e.g. "
                          f"acme_{module}.")
    return module


def write_plugin(name: str, folder: str | Path | None = None) -> list[Path]:
    """Write the skeleton of plugin NAME into ``folder`` (default ./NAME); returns the files written.
    Refuses a folder that exists, so nothing of the author's is overwritten."""
    module = module_name(name)
    root = Path(folder) if folder else Path(name)
    if root.exists():
        raise ParamsError(f"{root} already exists: choose a new folder with --dir, or remove it first. "
                          "Nothing was written.")
    facts = {"project": name, "module": module, "custlens_version": __version__,
             "title": "Sales by day of the week"}
    texts = {root / target.format(module=module): render(template, **facts) + "\n"
             for template, target in FILES.items()}  # all rendered before anything is written
    texts[root / module / "templates" / "__init__.py"] = TEMPLATES_INIT
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(texts)

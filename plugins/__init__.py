"""Built-in analyses: one module per analysis, each an ordinary custlens plugin."""

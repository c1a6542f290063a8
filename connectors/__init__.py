"""Built-in connectors: one module per source format, each an ordinary custlens plugin."""

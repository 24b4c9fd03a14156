"""Pages of the visits app, one module per feature."""

"""One widget a file, each with its own DEFAULT_CSS."""

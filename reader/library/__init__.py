"""Articles on disk: the model, reading files, importing, and the catalog cache."""

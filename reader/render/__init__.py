"""Markdown -> sanitized HTML, and the plain text that annotations and search index into."""

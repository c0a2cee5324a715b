"""Highlights and notes: the SQLite store, W3C selectors, re-anchoring, export and backups."""

"""Full-text search: CJK-aware analysis, the Whoosh index, queries and snippets."""

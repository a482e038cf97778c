"""The web layer: the REST API under /api/v1 (and later the pages). Thin: parse, call, render."""

"""SQLite stores: the cache (issues, parse results; rebuildable) and progress (never lost)."""

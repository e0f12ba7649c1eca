"""The project's SQLite backend: Django's, with a flush that may empty the append-only tables."""

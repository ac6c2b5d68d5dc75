"""Use cases behind the Book, grouped by area (the Book is the one object callers hold)."""

"""Code generated from ui/ and resources/ (never edited by hand)."""

"""shopfront: a desktop customer book for shops that live on repeat customers."""

__version__ = "0.1.0"

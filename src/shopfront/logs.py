"""Logging to the platformdirs log folder. Log ids and counts, never names, phones or notes."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from shopfront import paths

LOG_NAME = "shopfront.log"


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def setup(level: int = logging.INFO) -> Path:
    """Send shopfront's log records to a rotating file; returns its path."""
    target = log_file()
    root = logging.getLogger("shopfront")
    if any(getattr(h, "baseFilename", None) == str(target) for h in root.handlers):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return target

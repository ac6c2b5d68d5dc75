"""Where shopfront keeps its files (platformdirs), in one place."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "shopfront"


def data_dir() -> Path:
    return Path(os.environ.get("SHOPFRONT_HOME") or platformdirs.user_data_dir(APP))


def default_database() -> Path:
    return data_dir() / "shopfront.db"


def log_dir() -> Path:
    home = os.environ.get("SHOPFRONT_HOME")
    return Path(home) / "logs" if home else Path(platformdirs.user_log_dir(APP))


def config_dir() -> Path:
    home = os.environ.get("SHOPFRONT_HOME")
    return Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP))


def backup_dir_for(database: Path) -> Path:
    """Backups live beside the book they protect, so moving the folder moves both."""
    return database.parent / "backups"

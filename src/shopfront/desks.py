"""The shared book's server address, remembered for the next start ("several desks").

The address is kept without its password in ``config_dir()/server.json``; the password
goes to the system keyring when one is available, and is never written to a file. With
no keyring, the address is remembered and the password asked again (or given in the URL,
``--db`` or ``SHOPFRONT_DB``).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from shopfront import paths

log = logging.getLogger(__name__)
KEYRING_SERVICE = "shopfront-postgresql"


@dataclass(frozen=True)
class ServerAddress:
    """What the Share dialog asks for."""

    host: str
    database: str
    user: str
    password: str = ""
    port: int = 5432

    def url(self, with_password: bool = True) -> str:
        login = quote(self.user, safe="")
        if with_password and self.password:
            login += ":" + quote(self.password, safe="")
        return f"postgresql://{login}@{self.host}:{self.port}/{quote(self.database, safe='')}"

    @property
    def key(self) -> str:
        """The keyring entry name: who, where (never the password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def parse(url: str) -> ServerAddress:
    parts = urlsplit(url)
    return ServerAddress(
        host=parts.hostname or "",
        database=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        port=parts.port or 5432,
    )


def _file():  # noqa: ANN202 (a Path)
    return paths.config_dir() / "server.json"


def remember(address: ServerAddress) -> bool:
    """Keep the address for the next start; True when the password went to the keyring."""
    kept = False
    if address.password:
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, address.key, address.password)
            kept = True
        except Exception:  # no backend, locked store: the password is asked next time
            log.info("no keyring available; the server password is not stored")
    target = _file()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": address.url(with_password=False)}, handle)
    return kept


def remembered() -> ServerAddress | None:
    """The remembered address, with its password from the keyring when there is one."""
    try:
        address = parse(json.loads(_file().read_text(encoding="utf-8"))["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, address.key) or ""
    except Exception:
        password = ""
    return ServerAddress(address.host, address.database, address.user, password, address.port)


def forget() -> None:
    _file().unlink(missing_ok=True)

"""One way to run slow work off the GUI thread: `run_in_background(fn, on_done, on_error)`.

Workers get plain data and return plain data; results come back to the GUI thread
through a queued signal, so callbacks may touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
_alive: set[_Relay] = set()  # keeps relays alive until their result is delivered


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to on_error on the GUI thread
            self._deliver(self.relay.failed, exc)
        else:
            self._deliver(self.relay.done, result)

    def _deliver(self, signal: Any, value: Any) -> None:
        # The application may be shutting down (a screenshot, a closed window): then there
        # is nobody left to tell, and that is fine.
        if shiboken6.isValid(self.relay):
            try:
                signal.emit(value)
            except RuntimeError:
                log.debug("background result dropped: its receiver is gone")


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
) -> None:
    """Run ``fn`` on the pool; deliver its result on the GUI thread, unless ``owner`` (the
    widget that asked) was destroyed meanwhile."""
    relay = _Relay()
    _alive.add(relay)

    def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
        _alive.discard(relay)
        if owner is not None and not shiboken6.isValid(owner):
            return
        if handler is not None:
            handler(value)
        elif isinstance(value, BaseException):
            log.error("background job failed: %s", type(value).__name__)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    (pool or QThreadPool.globalInstance()).start(_Job(fn, relay))

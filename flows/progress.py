"""Progress events from a running flow to whoever displays them (the CLI's progress bar).

Tasks run in threads of the flow's process, so a process-wide listener is enough; flow
parameters stay plain data that Prefect can store. Listeners must be quick and thread-safe
(rich's ``Progress`` is).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

Event = Literal["files", "pages-found", "page-done", "file-done", "file-failed"]
Listener = Callable[[Event, int], None]

_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Deliver progress events to ``listener`` while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def emit(event: Event, amount: int = 1) -> None:
    for listener in list(_listeners):
        try:
            listener(event, amount)
        except Exception:  # a broken display must never fail a batch
            pass

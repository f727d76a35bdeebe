"""Caches of table rows kept for one request (settings, the work calendar, custom-field
definitions) and the functions that drop them. Caches kept by a process across requests are
models/cache_stamps.py's `SharedCache`.

A table declares its cache here; the save lifecycle (app/lifecycle/__init__.py) drops it
after a flush that wrote one of its rows, and again at the commit or rollback of that
transaction. This module imports nothing of the app, so any module may declare a cache.
"""
from __future__ import annotations

from collections.abc import Callable

#: (model, forget): a cache of `model`'s rows and the function that drops it.
CACHES: list[tuple[type, Callable[[], None]]] = []


def forget_when_changed(model: type, forget: Callable[[], None]) -> None:
    """Declare a cache of `model`'s rows: `forget()` runs after a flush that wrote one, and
    again at the commit or rollback of that transaction (another connection sees the rows
    once committed; rows read inside a rolled-back transaction may be gone)."""
    if (model, forget) not in CACHES:
        CACHES.append((model, forget))


"""The one timing rule of the Django admin peer, used on both sides (standard library only):
wall and CPU milliseconds of one request handled in-process, the response read in full.

CPU is this process's (`time.process_time()`): the framework's Python, the template
rendering and the database driver's client side; a PostgreSQL server's own work is in
another process and counts for neither side. On a shared machine CPU time moves far less
than wall time, so the ratio compared is of CPU p50s.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def timed_call(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, CPU ms, what `fn` returned)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result

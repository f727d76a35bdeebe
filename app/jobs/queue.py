"""The job queue: one Huey instance, on the storage `JOBS_URL` names.

Built when this module is imported, from the environment, so a consumer started as
`huey_consumer app.huey` and the web process agree on it without an app;
`use(url)` moves it to another storage (create_app does, from the app's config: a test's
own file). A job's progress is kept in the queue's store, not the database: on SQLite the
export's own read holds the database while it streams.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from huey import Huey
from huey.constants import EmptyData
from huey.storage import RedisStorage, SqliteStorage

NAME = "office"


def _storage_of(url: str):
    """(storage class, its keyword arguments) for `url`: sqlite:///path or redis://…"""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url.split("sqlite:///", 1)[1] if url.startswith("sqlite:///") else parsed.path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage, {"filename": path}
    if parsed.scheme in ("redis", "rediss", "unix"):
        return RedisStorage, {"url": url}
    raise ValueError(f"JOBS_URL: not an sqlite:/// or redis:// address: {url}")


def _default_url() -> str:
    base = Path(__file__).resolve().parents[2]
    return os.environ.get("JOBS_URL") or f"sqlite:///{base / 'instance' / 'jobs.db'}"


def _build(url: str) -> Huey:
    storage, options = _storage_of(url)
    built = Huey(NAME, results=False, storage_class=storage, utc=False, **options)
    built.office_url = url
    return built


huey = _build(_default_url())


def use(url: str) -> None:
    """Put the queue on the storage `url` names (nothing changes if it is already there)."""
    if getattr(huey, "office_url", None) == url:
        return
    storage, options = _storage_of(url)
    old = huey.storage
    huey.storage = storage(NAME, **options)
    huey.office_url = url
    try:
        old.close()
    except Exception:   # a storage never opened has nothing to close
        pass


def _progress_key(job_id: int) -> str:
    return f"progress:{job_id}"


def note_progress(job_id: int, done: int, stage: str = "") -> None:
    """Rows done so far by job `job_id` in its `stage` (an import reads, checks, then writes),
    read by its page while it runs."""
    huey.storage.put_data(_progress_key(job_id), f"{stage}:{int(done)}".encode())


def progress_of(job_id: int) -> tuple[int, str] | None:
    """The last note of job `job_id`: (rows done, stage), or None (none yet)."""
    raw = huey.storage.peek_data(_progress_key(job_id))
    if raw is EmptyData or raw is None:
        return None
    stage, _colon, done = raw.decode(errors="replace").rpartition(":")
    try:
        return int(done), stage
    except ValueError:
        return None


def forget_progress(job_id: int) -> None:
    huey.storage.pop_data(_progress_key(job_id))

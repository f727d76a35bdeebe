"""What `huey_consumer app.jobs.worker.huey` loads: the queue and every task on it.

The consumer builds the app from the environment (DATABASE_URL, JOBS_URL, SECRET_KEY…) the
first time a job runs, so it must be started with the web process's environment."""
from __future__ import annotations

from app.jobs import runner  # noqa: F401  (registers the tasks)
from app.jobs.queue import huey

__all__ = ["huey"]

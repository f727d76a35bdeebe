"""What `huey_consumer app.jobs.worker.huey` loads: the queue and every task on it, and the app
the tasks run in — built here, from the environment (DATABASE_URL, JOBS_URL, SECRET_KEY…),
so the first job does not wait for it: start the consumer with the web process's environment."""
from __future__ import annotations

from app.jobs import runner
from app.jobs.queue import huey

runner.flask_app()

__all__ = ["huey"]

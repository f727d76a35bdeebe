"""Long work done beside the web process: a large export or ledger runs on the job queue
(Huey: an SQLite file on the embedded run, Redis in production), in the asking user's
name, rights and language, with its progress on a page he may leave and its file kept
in My downloads. `queue` holds the queue, `runner` what a consumer runs, `screens` the
pages; the screens that start a job call `start`."""

"""`make bench`: every performance measurement in one run, printed as ONE table.

    python bench/run.py                          sizes 100,000 and 1,000,000 rows (10–20 minutes)
    BENCH_SIZES=10000 python bench/run.py        a quick run

Sections (each `run(sizes) -> list[Row]`, see bench/table.py):
  - export_speed: our Excel export vs raw xlsxwriter and flask-admin's xlsx export;
  - list_latency: list pages at N rows on SQLite and PostgreSQL vs the bare SQL;
  - import_speed: the Excel import vs an openpyxl-based import (when bench/import_speed.py exists);
  - admin_peer: the Personnel screens vs a Django 5.2 admin over the same rows, interleaved requests,
    CPU p50 ratio (bench/admin_peer.py; Django's own virtualenv from `make bench-peer-setup`);
  - search_speed: the global search at N rows over three entities, as a Clerk and a Leader, and what
    its index adds to a save (bench/search_speed.py);
  - jobs_speed: the export of N rows as a job on a real consumer vs the same export at once, the web
    process's memory meanwhile, and the reminder run with its digest for 10,000 users (bench/jobs_speed.py);
  - need_to_know_speed: a Clerk's documents list with the need-to-know clause vs the same page with the
    unit scope only (bench/need_to_know_speed.py).
The table is also written to bench/results.md (for the README). Numbers vary by machine;
the baselines are measured in the same run, so the ratios are what to compare.
A section that fails is shown as FAILED, the run exits with status 1, and bench/results.md
keeps the last complete run's table (a failed run overwrites nothing).
Environment: BENCH_REPEAT (list requests per page, 30), BENCH_FLASK_ADMIN_1M=1 (flask-admin's
export at 1,000,000 rows too), BENCH_EXPORT_PG=1 (the export on PostgreSQL too).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import platform
import sqlite3
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import log, sizes_from_env
from bench.table import Row, markdown_table, text_table

HERE = Path(__file__).resolve().parent
SECTIONS = ("export_speed", "list_latency", "import_speed", "admin_peer", "search_speed", "jobs_speed",
            "need_to_know_speed")
RESULTS = HERE / "results.md"


def _section(name: str, sizes: list[int]) -> tuple[list[Row], bool]:
    """The section's rows, and whether it ran through."""
    if importlib.util.find_spec(f"bench.{name}") is None:
        log(f"{name}: no bench/{name}.py, skipped")
        return [], True
    start = time.perf_counter()
    try:
        rows = importlib.import_module(f"bench.{name}").run(sizes)
    except Exception:
        log(f"{name} failed:\n{traceback.format_exc()}")
        return [Row(f"{name}: FAILED (see the log above)", "—", 0)], False
    log(f"{name}: done in {time.perf_counter() - start:.0f} s")
    return rows, True


def _machine() -> str:
    import sqlalchemy
    import xlsxwriter

    return (f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"SQLAlchemy {sqlalchemy.__version__}, XlsxWriter {xlsxwriter.__version__}")


def main() -> int:
    sizes = sizes_from_env()
    started = time.strftime("%Y-%m-%d %H:%M")
    start = time.perf_counter()
    rows: list[Row] = []
    failed = []
    for name in SECTIONS:
        section_rows, ok = _section(name, sizes)
        rows += section_rows
        if not ok:
            failed.append(name)
    minutes = (time.perf_counter() - start) / 60
    footer = (f"Run {started}, {minutes:.0f} min; {_machine()}. Times: seconds of one run, or p50 / p95 ms "
              "(lists, pages; with the CPU p50 ms for the Django admin peer, whose ratio is of CPU p50s: below 1× "
              "the project is ahead). CPU: CPU seconds of the operation's process; the export ratios are of CPU "
              "seconds (a busy machine moves wall time, not CPU time). Peak MB: peak RSS growth of the operation in "
              "its own process. ¹ With the indexes proposed in bench/list_latency.py (PROPOSED_INDEXES), added by the "
              "bench only.")
    print()
    print(text_table(rows))
    print()
    print(footer)
    if failed:
        log(f"FAILED: {', '.join(failed)}; {RESULTS} not written (it keeps the last complete run)")
        return 1
    RESULTS.write_text(f"# Benchmark results (`make bench`)\n\n{markdown_table(rows)}\n\n{footer}\n", encoding="utf-8")
    log(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Export speed: this project's Excel export against raw xlsxwriter and flask-admin's.

    python bench/export_speed.py            (sizes from BENCH_SIZES, default 100000,1000000)

On a Personnel table of N rows (SQLite; PostgreSQL too with BENCH_EXPORT_PG=1), each
measured in its own forked child so that its peak memory (VmHWM minus the RSS at its
start) is its own:

- ours: GET /personnelview/export/ as a logged-in Admin (the real view: the list's
  query, labels, masking rules, audit record), the file read to the end;
- raw xlsxwriter: `constant_memory`, the same final cell values (materialised in memory
  before the clock starts), one typed call per cell: the floor any exporter stands on;
- flask-admin: its built-in xlsx export of the same model and columns (tablib → openpyxl,
  everything in memory). At 1,000,000 rows only with BENCH_FLASK_ADMIN_1M=1.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchDB, PeakMemory, after_fork, bench_db, in_child, log, logged_in, sizes_from_env
from bench.flask_admin_view import URL as FLASK_ADMIN_URL
from bench.flask_admin_view import export_columns
from bench.table import Row, text_table

OPERATION = "export xlsx, Personnel ({cols} columns)"
RAW = "raw xlsxwriter (constant_memory, same cells)"
FLASK_ADMIN = "flask-admin xlsx export (tablib → openpyxl)"
RAW_TARGET, FLASK_ADMIN_TARGET, MEMORY_TARGET = 1.3, 0.5, 1.5
FLASK_ADMIN_MAX_ROWS = 100_000


def _drain(response) -> int:
    """Read a streamed response to the end, as a browser saving the file would."""
    size = 0
    for chunk in response.iter_encoded():
        size += len(chunk)
    response.close()
    return size


class Clock:
    """Wall and CPU seconds (this process, user + system) from `start()` to `stop()`."""

    def start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


#: (wall s, CPU s, peak MB, file bytes) of one measured operation.
Measured = tuple[float, float, float, int]


def ours(db: BenchDB, memory: PeakMemory) -> Measured:
    after_fork(db.app)
    client = logged_in(db.app)
    memory.start()
    clock = Clock()
    clock.start()
    response = client.get("/personnelview/export/", buffered=False)
    if response.status_code != 200:
        raise RuntimeError(f"export answered {response.status_code}")
    size = _drain(response)
    return *clock.stop(), memory.peak_mb(), size


def _materialise(db: BenchDB) -> tuple[list, list[str], list]:
    """The export's final cell values of every row, its column kinds and its columns, as
    the Admin's export computes them (labels, related names; nothing masked)."""
    from app.excel import QueryPlan, columns_for
    from app.extensions import db as sa
    from models.org import Personnel

    names = export_columns()
    with db.app.test_request_context():
        query = sa.session.query(Personnel).filter(Personnel.is_deleted.is_(False)).order_by(Personnel.id.desc())
        plan = QueryPlan(Personnel, names, sa.session, unmasked=True)
        cells = plan.cells
        values = []
        for chunk in plan.chunks(query, 2000):
            for row in chunk:
                out = []
                for index, convert, _kind in cells:
                    value = row[index]
                    if value is not None and convert is not None:
                        value = convert(value)
                    out.append(None if value == "" else value)
                values.append(out)
        return values, [kind for _i, _c, kind in cells], columns_for(Personnel, names, unmasked=True)


def raw(db: BenchDB, memory: PeakMemory) -> Measured:
    import xlsxwriter

    after_fork(db.app)
    values, kinds, columns = _materialise(db)
    path = tempfile.NamedTemporaryFile(prefix="bench-raw-", suffix=".xlsx", delete=False).name
    memory.start()
    clock = Clock()
    clock.start()
    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Personnel")
    header = wb.add_format({"bold": True})
    formats = {"date": wb.add_format({"num_format": "yyyy-mm-dd"}),
               "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
    calls = [(ws.write_datetime, formats[k]) if k in formats else
             (ws.write_number, None) if k in ("int", "number") else (ws.write_string, None) for k in kinds]
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(0, c, column.header, header)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(values, start=1):
        for c, (value, (call, fmt)) in enumerate(zip(row, calls, strict=True)):
            if value is not None:
                call(r, c, value, fmt)
    ws.autofilter(0, 0, len(values), len(columns) - 1)
    wb.close()
    wall, cpu = clock.stop()
    size = os.path.getsize(path)
    os.unlink(path)
    return wall, cpu, memory.peak_mb(), size


def flask_admin(db: BenchDB, memory: PeakMemory) -> Measured:
    after_fork(db.app)
    client = db.app.test_client()
    memory.start()
    clock = Clock()
    clock.start()
    response = client.get(FLASK_ADMIN_URL, buffered=False)
    if response.status_code != 200:
        raise RuntimeError(f"flask-admin export answered {response.status_code}")
    size = _drain(response)
    return *clock.stop(), memory.peak_mb(), size


def _measure(db: BenchDB, fn, label: str) -> Measured:
    log(f"{db.backend} {db.rows:,}: {label} ...")
    wall, cpu, peak, size = in_child(lambda memory: fn(db, memory))
    log(f"{db.backend} {db.rows:,}: {label}: {wall:.1f} s (CPU {cpu:.1f} s), peak {peak:.0f} MB, "
        f"{size / 2**20:.1f} MB file")
    return wall, cpu, peak, size


def _compared(mine: Row, baseline: str, value=None, cpu=None, target: str = "", limit=None, note="") -> Row:
    """Our export's row against one baseline; the ratio is of CPU seconds."""
    ratio = mine.cpu / cpu if cpu else None
    return replace(mine, baseline=baseline, baseline_value=value, baseline_cpu=cpu, ratio=ratio, target=target,
                   met=None if ratio is None else ratio <= limit, note=note)


def _one_size(db: BenchDB) -> tuple[list[Row], float]:
    """The rows of one table size, and our export's peak memory at that size."""
    mine_wall, mine_cpu, mine_peak, _size = _measure(db, ours, "ours")
    mine = Row(OPERATION.format(cols=len(export_columns())), db.backend, db.rows, mine_wall, cpu=mine_cpu,
               peak_mb=mine_peak)
    base, base_cpu, base_peak, _ = _measure(db, raw, "raw xlsxwriter")
    out = [_compared(mine, RAW, base, base_cpu, f"≤ {RAW_TARGET}×", RAW_TARGET)]
    fa_target = f"≤ {FLASK_ADMIN_TARGET}× (2× faster)"
    if db.rows <= FLASK_ADMIN_MAX_ROWS or os.environ.get("BENCH_FLASK_ADMIN_1M") == "1":
        theirs, theirs_cpu, theirs_peak, _ = _measure(db, flask_admin, "flask-admin")
        out.append(_compared(mine, FLASK_ADMIN, theirs, theirs_cpu, fa_target, FLASK_ADMIN_TARGET))
        out.append(Row("  baseline: " + FLASK_ADMIN, db.backend, db.rows, theirs, cpu=theirs_cpu,
                       peak_mb=theirs_peak))
    else:
        out.append(_compared(mine, FLASK_ADMIN, target=fa_target, note="not run (BENCH_FLASK_ADMIN_1M=1 runs it)"))
    out.append(Row("  baseline: " + RAW, db.backend, db.rows, base, cpu=base_cpu, peak_mb=base_peak))
    return out, mine_peak


def run(sizes: list[int]) -> list[Row]:
    """Rows of the table. Ratios are of CPU seconds (each operation runs in one process: the
    SQLite queries, the view and the writing), which a busy machine disturbs far less than
    the wall time shown beside them."""
    backends = ["SQLite"] + (["PostgreSQL"] if os.environ.get("BENCH_EXPORT_PG") == "1" else [])
    out: list[Row] = []
    for backend in backends:
        peaks: dict[int, float] = {}
        for rows in sizes:
            size_rows, peaks[rows] = _one_size(bench_db(backend, rows))
            out += size_rows
        small, large = min(sizes), max(sizes)
        if large > small:
            ratio = peaks[large] / peaks[small] if peaks[small] else None
            out.append(Row("export peak memory", backend, large, peak_mb=peaks[large],
                           baseline=f"peak at {small:,} rows", baseline_value=peaks[small], ratio=ratio,
                           target=f"≤ {MEMORY_TARGET}×", met=None if ratio is None else ratio <= MEMORY_TARGET))
    return out


if __name__ == "__main__":
    print(text_table(run(sizes_from_env())))

"""The one table `make bench` prints: a `Row` per measurement, rendered as text and markdown.

Every section (`bench/export_speed.py`, `bench/list_latency.py`, `bench/import_speed.py`)
returns `list[Row]`; `bench/run.py` prints them together and writes `bench/results.md`.
Times are seconds for one-shot operations (export, import) and milliseconds for list
pages (`unit="ms"`, with p50 in `time` and p95 in `p95`). A one-shot operation may also
give its process's CPU seconds (`cpu`, `baseline_cpu`): on a shared machine they vary far
less than the wall time, and a section may compute its ratio from them (it says so). A page
row may give its CPU p50 ms too, and its baseline's p95 (`baseline_p95`): the Django admin
peer (bench/admin_peer.py) prints both sides as `p50 / p95 ms (CPU p50)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass
class Row:
    operation: str                      # what was measured, e.g. "export xlsx (Personnel)"
    backend: str                        # "SQLite", "PostgreSQL" or "—"
    rows: int                           # rows in the table (or in the file)
    time: Optional[float] = None        # this project's time: seconds, or p50 ms for a list
    unit: str = "s"                     # "s" or "ms"
    p95: Optional[float] = None         # lists: p95 ms
    peak_mb: Optional[float] = None     # peak RSS growth of the operation, MiB
    baseline: str = ""                  # what it is compared with
    baseline_value: Optional[float] = None   # in `unit` (or MiB for a memory comparison)
    ratio: Optional[float] = None       # this / baseline
    target: str = ""                    # e.g. "≤ 1.3×", "p50 < 100 ms"
    met: Optional[bool] = None          # None: no target, or not measured
    note: str = ""                      # e.g. "not run (BENCH_FLASK_ADMIN_1M=1 to run)"
    cpu: Optional[float] = None         # CPU seconds of the operation's process, beside the wall time
    baseline_cpu: Optional[float] = None
    baseline_p95: Optional[float] = None     # lists and pages: the baseline's p95 ms


HEADERS = ["operation", "backend", "rows", "time", "p50 / p95", "peak MB", "baseline", "baseline value",
           "ratio", "target", "met"]


def _num(value: Optional[float], unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def _with_cpu(value: Optional[float], cpu: Optional[float], unit: str) -> str:
    return _num(value, unit) if cpu is None else f"{_num(value, unit)} (CPU {_num(cpu)})"


def _spread(p50: Optional[float], p95: Optional[float], cpu: Optional[float]) -> str:
    """`p50 / p95 ms`, with the CPU p50 when measured (the Django admin peer's pages)."""
    text = f"{_num(p50)} / {_num(p95)} ms"
    return text if cpu is None else f"{text} (CPU {_num(cpu)})"


def cells(row: Row) -> list[str]:
    """The row as the table's text cells."""
    if row.unit == "ms":
        time, spread = "—", _spread(row.time, row.p95, row.cpu)
    else:
        time, spread = _with_cpu(row.time, row.cpu, row.unit), "—"
    if row.note and row.time is None:
        time = row.note
    base_unit = "MB" if row.baseline.startswith("peak") else row.unit
    baseline_value = _with_cpu(row.baseline_value, row.baseline_cpu, base_unit) if row.baseline else "—"
    if row.baseline and row.baseline_p95 is not None:
        baseline_value = _spread(row.baseline_value, row.baseline_p95, row.baseline_cpu)
    if row.baseline and row.baseline_value is None and row.note:
        baseline_value = row.note
    met = "—" if row.met is None else ("yes" if row.met else "NO")
    return [row.operation, row.backend, f"{row.rows:,}", time, spread, _num(row.peak_mb),
            row.baseline or "—", baseline_value, "—" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target or "—", met]


def text_table(rows: list[Row]) -> str:
    table = [HEADERS] + [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    numeric = {2, 3, 4, 5, 7, 8}

    def fmt(line: list[str]) -> str:
        pairs = enumerate(zip(line, widths, strict=True))
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in pairs)

    return "\n".join([fmt(table[0]), "  ".join("-" * w for w in widths)] + [fmt(line) for line in table[1:]])


def markdown_table(rows: list[Row]) -> str:
    def fmt(line: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in line) + " |"

    return "\n".join([fmt(HEADERS), "|" + "---|" * len(HEADERS)] + [fmt(cells(r)) for r in rows])

"""Summary sheets of a ledger: counts, sums and rates per unit, tallied from the ledger's rows.

A `ByUnit` summary says which units a record counts for (and in which role: a proposal
counts for its lead unit as 主办 and for each co-handler as 协办), what is counted
(`Count`: a test of the record and the role), what is added up (`Sum`: a number of the
record) and which rates are shown (`Rate`: one count over another). Counts with no
header are counted for a rate but not shown. A row may stand for something other than a
unit — an incident category — given its `label` and `order`; `rank_by` adds a rank column
(1 for the highest total of that measure; equal totals share a rank).

The tally runs over the very rows the detail sheet writes, in the same pass, so the
summary always agrees with its detail and holds one row of counters per unit, not the
records. The totals row adds the counts up and computes each rate again from the
totals (never an average of the units' rates). A rate whose denominator is 0 is left
blank: "no answered case" is not "0 % on time".
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from models.lookups import CO_HANDLER, EVALUATED, SATISFIED, lookup_label, lookup_table
from models.lookups import LEAD as LEAD

#: Roles a record may count in (HandlingRole codes, docs/domain.md §1); None when a summary has no roles.
CO = CO_HANDLER


@dataclass(frozen=True)
class Count:
    key: str
    header: Any                                 # None: counted for a rate only
    test: Callable[[Any, Optional[str]], bool]  # (record, role) -> counts?


@dataclass(frozen=True)
class Sum:
    key: str
    header: Any
    value: Callable[[Any], Any]                 # record -> a number (None adds nothing)
    role: Optional[str] = None                  # only records held in this role
    kind: str = "number"                        # "number" or "int"


@dataclass(frozen=True)
class Rate:
    header: Any
    numerator: str                              # keys of two Counts
    denominator: str


Measure = Count | Sum | Rate


@dataclass
class SummaryTable:
    """What a summary sheet shows: a first text column, then counts, sums and rates."""

    name: str
    title: str
    headers: list[str]
    kinds: list[str]                            # "text", "int", "number" or "rate" per column
    rows: list[list[Any]]
    totals: list[Any]


def rate(numerator: int, denominator: int) -> Optional[float]:
    """A share as a real number (0.75 reads 75.0 % in the sheet); None without a denominator."""
    return numerator / denominator if denominator else None


def unit_order(unit: Any) -> tuple:
    """Units in their official order (sort_order), then by name; "no unit" last."""
    if unit is None:
        return (1, 0, "")
    return (0, getattr(unit, "sort_order", 0) or 0, str(unit))


def lookup_rows(category: str) -> dict[str, Callable[[Any], Any]]:
    """`label` and `order` of rows keyed by the codes of a lookup: its labels, its order."""
    def order(code: Any) -> tuple:
        codes = [row.code for row in lookup_table().get(category, [])]
        return (0, codes.index(code), "") if code in codes else (1, 0, str(code or ""))

    return {"label": lambda code: lookup_label(category, code), "order": order}


@dataclass
class ByUnit:
    title: Any                                  # sheet title, e.g. 按承办单位统计
    unit_header: Any                            # first column, e.g. 承办单位
    units: Callable[[Any], Iterable[tuple[Any, Optional[str]]]]   # record -> (unit, role) pairs
    measures: Sequence[Measure]
    no_unit: Any = None                         # label of the row of records without a unit
    sheet: Any = None                           # sheet name (default: the title)
    rank_by: Optional[str] = None               # key of a Count or Sum: a rank column after the rest
    label: Callable[[Any], str] = str           # a row's name from its unit
    order: Callable[[Any], Any] = unit_order    # the rows' order

    def __post_init__(self):
        keys = {m.key for m in self.measures if not isinstance(m, Rate)}
        for m in self.measures:
            if isinstance(m, Rate) and not {m.numerator, m.denominator} <= keys:
                raise ValueError(f"rate {m.header!r} counts what no Count declares")
        if self.rank_by is not None and self.rank_by not in keys:
            raise ValueError(f"rank by {self.rank_by!r}: no such measure")

    @property
    def shown(self) -> list[Measure]:
        return [m for m in self.measures if isinstance(m, Rate) or m.header is not None]

    def start(self, _query=None) -> UnitTally:
        return UnitTally(self)


def _kind(measure: Measure) -> str:
    if isinstance(measure, Rate):
        return "rate"
    return measure.kind if isinstance(measure, Sum) else "int"


@dataclass
class UnitTally:
    spec: ByUnit
    counts: dict[Any, dict[str, Any]] = field(default_factory=dict)
    units: dict[Any, Any] = field(default_factory=dict)

    def add(self, record: Any) -> None:
        tallied = [m for m in self.spec.measures if not isinstance(m, Rate)]
        for unit, role in self.spec.units(record):
            key = getattr(unit, "id", unit)
            row = self.counts.get(key)
            if row is None:
                row = self.counts[key] = {m.key: 0 for m in tallied}
                self.units[key] = unit
            for m in tallied:
                if isinstance(m, Count):
                    row[m.key] += 1 if m.test(record, role) else 0
                elif m.role is None or m.role == role:
                    row[m.key] += m.value(record) or 0

    def _values(self, row: dict[str, Any]) -> list[Any]:
        return [rate(row[m.numerator], row[m.denominator]) if isinstance(m, Rate) else row[m.key]
                for m in self.spec.shown]

    def _ranks(self) -> dict[Any, int]:
        totals = {key: row[self.spec.rank_by] for key, row in self.counts.items()}
        return {key: 1 + sum(1 for other in totals.values() if other > value) for key, value in totals.items()}

    def table(self) -> SummaryTable:
        spec = self.spec
        no_unit = str(spec.no_unit) if spec.no_unit is not None else gettext("(no unit)")
        ranks = self._ranks() if spec.rank_by else {}
        rows = []
        for key in sorted(self.counts, key=lambda k: spec.order(self.units[k])):
            unit = self.units[key]
            row = [no_unit if unit is None else spec.label(unit)] + self._values(self.counts[key])
            rows.append(row + ([ranks[key]] if ranks else []))
        keys = [m.key for m in spec.measures if not isinstance(m, Rate)]
        total = {k: sum(row[k] for row in self.counts.values()) for k in keys}
        extra = [gettext("Ranking")] if spec.rank_by else []
        return SummaryTable(
            name=str(spec.sheet or spec.title), title=str(spec.title),
            headers=[str(spec.unit_header)] + [str(m.header) for m in spec.shown] + extra,
            kinds=["text"] + [_kind(m) for m in spec.shown] + ["int"] * len(extra),
            rows=rows, totals=[gettext("Total")] + self._values(total) + [None] * len(extra))


# --- what ledgers count alike ------------------------------------------------------------------------
Test = Callable[[Any, Optional[str]], bool]


def in_role(role: Optional[str], test: Callable[[Any], bool]) -> Test:
    """A count of the records a unit holds in `role` (any role when None) that pass `test`."""
    if role is None:
        return lambda record, _role: bool(test(record))
    return lambda record, held: held == role and bool(test(record))


def share(key: str, header: Any, numerator: Callable[[Any], bool], denominator: Callable[[Any], bool], *,
          role: Optional[str] = None, shown: Any = None) -> list[Measure]:
    """A rate and its two counts: among the records passing `denominator`, those also
    passing `numerator`. The denominator's count is shown under `shown` when given."""
    return [
        Count(f"{key}:of", shown, in_role(role, denominator)),
        Count(key, None, in_role(role, lambda r: denominator(r) and numerator(r))),
        Rate(header, key, f"{key}:of"),
    ]


def code_counts(code_of: Callable[[Any], Optional[str]], codes: Sequence[tuple[str, Any]], *,
                role: Optional[str] = None, key: str = "code") -> list[Measure]:
    """One shown count per code (answer category A/B/C/D, satisfaction …)."""
    return [Count(f"{key}:{code}", header, in_role(role, lambda r, code=code: code_of(r) == code))
            for code, header in codes]


def satisfaction_rate(code_of: Callable[[Any], Optional[str]], *, role: Optional[str] = None) -> list[Measure]:
    """满意率 as the dashboard counts it (models.lookups SATISFIED, EVALUATED): satisfied or
    basically satisfied among those who gave a verdict; 未评价 and no evaluation at all are left out."""
    return share("satisfied", _l("Satisfaction rate"), lambda r: code_of(r) in SATISFIED,
                 lambda r: code_of(r) in EVALUATED, role=role)

"""The ledger declaration (台账, docs/domain.md §10): one `register_ledger(...)` per ledger,
at the end of the domain's views/<domain>.py, after the entity it reads.

A ledger is a named export of an entity's list with its own columns, in the order of
the paper ledger managers hand to leaders. It reads what the list reads — the list's
filters, order and the user's department scope (app/ledgers/screens.py) — narrowed by
the ledger's own fixed filter (`where`: the incoming register reads incoming documents).

A column is either the name of a field of the model, whose header, lookup label,
related record's name and masking come from `app.excel.columns_for` exactly as in the
list's export, or a `Computed` column (a header, a value function of the record, a
kind): the running number `SERIAL`, a value from a parent record (`parent`), a few
fields read as one (`joined`). A ledger may carry summary sheets (`summary`, see
app/ledgers/summary.py) tallied from the same rows as its detail.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import selectinload

from app.registry.introspect import column_info, kind_of, label_of, lookup_of
from app.registry.spec import entity_for
from models.lookups import lookup_label

#: The menu group and the menu entry (FAB's menu_access is on both names) of the page
#: listing the ledgers; app/roles.py opens them to the roles that export.
PAGE_GROUP = "Reports"
PAGE_NAME = "Ledgers"


def _row_number(_record: Any) -> int:   # pragma: no cover - replaced by a counter per export
    raise NotImplementedError


@dataclass(frozen=True)
class Computed:
    """A column the model does not have as a field: its header, how a record gives its
    value, and the value's kind (string, text, int, number, date, datetime, bool)."""

    header: Any
    value: Callable[[Any], Any]
    kind: str = "string"
    width: Optional[float] = None

    @property
    def is_serial(self) -> bool:
        return self.value is _row_number


#: 序号: the row's number in the ledger, counted as rows are written (1, 2, 3 …).
SERIAL = Computed(_l("No."), _row_number, "int", 6)

Column = Union[str, Computed]


def _follow(record: Any, path: Sequence[str]) -> Any:
    for name in path:
        if record is None:
            return None
        record = getattr(record, name, None)
    return record


def parent(path: str, header: Any = None, *, of: type, width: Optional[float] = None) -> Computed:
    """A value read through many-to-one relations from a record of `of`, e.g.
    `parent("meeting.session_label", of=MeetingDecision)`. The header defaults to the label
    of the last field on its model; a lookup code reads as its label, a record as its name."""
    names = path.split(".")
    model = of
    for name in names[:-1]:
        model = sa_inspect(model).relationships[name].mapper.class_
    last = names[-1]
    kind, category = kind_of(model, last), lookup_of(model, last)

    def value(record: Any) -> Any:
        found = _follow(record, names)
        if category:
            return lookup_label(category, found)
        if kind == "relations":
            return "、".join(str(x) for x in found or [])
        if kind == "relation":
            return None if found is None else str(found)
        return found

    shown = "string" if kind in ("lookup", "relation", "relations", "computed") else kind
    return Computed(label_of(model, last) if header is None else header, value, shown, width)


def joined(header: Any, *paths: str, of: type, sep: str = " ", width: Optional[float] = None) -> Computed:
    """Several values in one cell, the empty ones left out, each read as `parent` reads it
    (lookup codes as labels): e.g. the three levels of a hotline case's category as
    "城市管理/市政设施/路灯损坏"."""
    parts = [parent(path, of=of).value for path in paths]

    def value(record: Any) -> str:
        found = (part(record) for part in parts)
        return sep.join(str(v) for v in found if v not in (None, ""))

    return Computed(header, value, "string", width)


@dataclass
class Ledger:
    key: str                                    # stable, ASCII: the URL's /ledger/<key>/
    title: Any                                  # e.g. 督办事项台账: sheet, file name, title row
    model: type                                 # the registered entity it reads
    columns: Sequence[Column]
    where: Mapping[str, Any] = field(default_factory=dict)   # fixed filter: {column: value}
    summary: Sequence[Any] = ()                 # summary sheets (app/ledgers/summary.py)
    note: Any = None                            # one line on the ledgers page: what it is for
    load: Sequence[str] = ()                    # relations the columns read ("assignments.department"):
    #                                             loaded per chunk of rows, not one query per row

    @property
    def entity(self):
        return entity_for(self.model)

    def narrow(self, query):
        """The list's query, narrowed to the ledger's fixed filter, its relations preloaded."""
        for name, value in self.where.items():
            query = query.filter(getattr(self.model, name) == value)
        if self.load:
            query = query.options(*(_preload(self.model, path) for path in self.load))
        return query


def _preload(model: type, path: str):
    """`selectinload` along a dotted path of relations: it works with `yield_per`, one
    `IN` query per chunk of rows and relation."""
    option, current = None, model
    for name in path.split("."):
        attribute = getattr(current, name)
        option = selectinload(attribute) if option is None else option.selectinload(attribute)
        current = attribute.property.mapper.class_
    return option


#: Every declared ledger by key, in the order declared.
LEDGERS: dict[str, Ledger] = {}


def _check(ledger: Ledger) -> None:
    """A declaration naming a field the model lacks, or a secret one, is a programming
    error: say so at start-up, not in the middle of an export. The generic light and
    overdue-days columns count as fields of an entity with a deadline: the registry adds
    them to the model when it builds the screens, after the declarations."""
    from app.registry import deadlines

    mapper = sa_inspect(ledger.model)
    generic = (deadlines.LIGHT, deadlines.OVERDUE) if deadlines.deadline_of(ledger.entity) is not None else ()
    for column in ledger.columns:
        if isinstance(column, Computed):
            continue
        known = column in mapper.columns or column in mapper.relationships or column in generic \
            or isinstance(getattr(ledger.model, column, None), property)
        if not known:
            raise ValueError(f"ledger {ledger.key}: {ledger.model.__name__} has no field {column!r}")
        if column_info(ledger.model, column).get("secret"):
            raise ValueError(f"ledger {ledger.key}: {column!r} is secret and never exported")
    for path in ledger.load:
        _preload(ledger.model, path)            # an unknown relation fails here, at start-up
    for name in ledger.where:
        if name not in mapper.columns:
            raise ValueError(f"ledger {ledger.key}: fixed filter on unknown column {name!r}")


def register_ledger(key: str, title: Any, model: type, columns: Sequence[Column], *,
                    where: Optional[Mapping[str, Any]] = None, summary: Sequence[Any] = (),
                    note: Any = None, load: Sequence[str] = ()) -> Ledger:
    """Declare the ledger `key` over the registered entity of `model`; see `Ledger`."""
    ledger = Ledger(key=key, title=title, model=model, columns=list(columns), where=dict(where or {}),
                    summary=list(summary), note=note, load=list(load))
    _check(ledger)
    LEDGERS[key] = ledger
    return ledger


def ledgers_of(model: type) -> list[Ledger]:
    """The ledgers reading `model`, in the order declared."""
    return [ledger for ledger in LEDGERS.values() if ledger.model is model]

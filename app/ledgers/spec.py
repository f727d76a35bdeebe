"""The ledger declaration (台账, docs/domain.md §10): one `register_ledger(...)` per ledger,
at the end of the domain's views/<domain>.py, after the entity it reads.

A ledger is a named export of an entity's list with its own columns, in the order of
the paper ledger managers hand to leaders. It reads what the list reads — the list's
filters, order and the user's department scope (app/ledgers/screens.py) — narrowed by
the ledger's own fixed filter (`where`: the incoming register reads incoming documents).
A file of such a ledger imported into its entity takes the fixed values for its rows
(app/importer/ledger_files.py recognises it by its title — the ledger's, or one of the
`names` clerks give the paper ledger — or by its columns).

A column is either the name of a field of the model, whose header, lookup label,
related record's name and masking come from `app.excel.columns_for` exactly as in the
list's export, or a `Computed` column (a header, a value function of the record, a
kind): the running number `SERIAL`, a value from a parent record (`parent`), a few
fields read as one (`joined`). A ledger may carry summary sheets (`summary`, see
app/ledgers/summary.py) tallied from the same rows as its detail.

A report ledger (`report=`) reads no list: its rows come from a function of the
ledger's parameters (`params`: year, quarter, branch …, each with its choices and
default), which the ledger's own page offers above a table of its columns (all
`Computed`, of the function's rows); the same parameters go to its Excel export. Its page
and export stand on the entity's permissions ("read" opens the page, "export" the file)
and the page has a menu entry in the entity's group (app/ledgers/screens.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from flask_babel import gettext
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
    # on a report ledger's page only (the Excel file writes `value`):
    shown: Optional[Callable[[Any], Any]] = None    # the cell's text, if not the value's
    badge: Optional[Callable[[Any], Optional[str]]] = None   # a coloured label: success, warning, danger
    link: Optional[Callable[[Any], Optional[str]]] = None    # the cell links to this URL

    @property
    def is_serial(self) -> bool:
        return self.value is _row_number


#: 序号: the row's number in the ledger, counted as rows are written (1, 2, 3 …).
SERIAL = Computed(_l("No."), _row_number, "int", 6)

Column = Union[str, Computed]


@dataclass(frozen=True)
class Param:
    """A parameter of a report ledger, offered on its page as a choice and passed to its
    `report` function by `name` (also the query string's name: ?year=2025).

    `choices` gives the (value, label) pairs offered when the page is opened; a value
    not among them is refused with a message. `default` (a value or a function giving
    one) is taken when the parameter is not given; `blank`, when set, is the label of an
    extra first choice "none chosen" (the value None: all branches)."""

    name: str
    label: Any
    choices: Callable[[], Sequence[tuple[Any, Any]]]
    default: Any = None
    blank: Any = None
    parse: Callable[[str], Any] = int           # the query string's text as a value

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def offered(self) -> list[tuple[Any, str]]:
        """The choices as the page lists them, the blank one first."""
        out = [(None, str(self.blank))] if self.blank is not None else []
        return out + [(value, str(label)) for value, label in self.choices()]

    def read(self, text: Optional[str]) -> Any:
        """The value chosen by `text` (missing: the default); ValueError if not offered."""
        if text is None:
            return self.default_value()
        if text.strip() == "":
            if self.blank is not None:
                return None
            return self.default_value()
        try:
            value = self.parse(text.strip())
        except (TypeError, ValueError):
            raise ValueError(text) from None
        if value not in {v for v, _label in self.choices()}:
            raise ValueError(text)
        return value

    def label_of(self, value: Any) -> str:
        """The chosen value as the page shows it."""
        return next((label for v, label in self.offered() if v == value), str(value))


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
    names: Sequence[str] = ()                   # other names of the paper ledger (收文登记表): a file
    #                                             titled so imports as this ledger (app/importer/ledger_files.py)
    # a report ledger (see the module's docstring):
    report: Optional[Callable[..., Iterable[Any]]] = None   # report(**parameters) -> the rows
    params: Sequence[Param] = ()
    heading: Optional[Callable[..., Any]] = None   # heading(**parameters): the title row, page title, file name
    caption: Optional[Callable[[list], Any]] = None   # caption(rows): one line above the page's table
    empty: Any = None                           # what the page says when there is no row
    icon: str = "fa-table"                      # its menu entry's icon
    menu: Optional[str] = None                  # the menu group of its page: the entity's, or "Reports"

    @property
    def is_report(self) -> bool:
        return self.report is not None

    def title_for(self, values: Mapping[str, Any]) -> str:
        """The title of the ledger for these parameters."""
        return str(self.heading(**values)) if self.heading is not None else str(self.title)

    def read_params(self, args: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        """The parameters chosen in `args` (a request's query string), and a message per
        value refused; a refused parameter takes its default."""
        values, errors = {}, []
        for param in self.params:
            text = args.get(param.name)
            try:
                values[param.name] = param.read(text)
            except ValueError:
                values[param.name] = param.default_value()
                errors.append(gettext('%(parameter)s: "%(value)s" is not one of the choices offered.',
                                      parameter=str(param.label), value=text))
        return values, errors

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

    if ledger.is_report:
        _check_report(ledger)
        return
    if ledger.params or ledger.heading is not None or ledger.menu is not None:
        raise ValueError(f"ledger {ledger.key}: parameters, a heading and a menu entry belong to a report ledger")
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


def _check_report(ledger: Ledger) -> None:
    """A report's columns read the function's rows, not the model: all are computed; its
    parameters have distinct names."""
    for column in ledger.columns:
        if not isinstance(column, Computed):
            raise ValueError(f"ledger {ledger.key}: a report's column {column!r} must be Computed")
    if ledger.where or ledger.load:
        raise ValueError(f"ledger {ledger.key}: a report reads no list: no fixed filter, nothing to load")
    from app.menu import BY_KEY

    if ledger.menu is not None and ledger.menu not in BY_KEY:
        raise ValueError(f"ledger {ledger.key}: no menu group {ledger.menu!r}")
    names = [param.name for param in ledger.params]
    if len(set(names)) != len(names):
        raise ValueError(f"ledger {ledger.key}: parameters named twice: {names}")


def _menu_entry(ledger: Ledger) -> None:
    """A report ledger's page in the menu group of its entity (or the one it names, such as
    Reports), named after the entity (whoever may read it sees the entry), after the group's
    entities."""
    from app.registry.spec import register_link

    entity = ledger.entity
    view = f"{entity.name}View".lower()     # FAB's route_base of the generated screens
    register_link(f"/{view}/report/{ledger.key}/", ledger.menu or entity.group, entity.name, ledger.title,
                  ledger.icon)


def register_ledger(key: str, title: Any, model: type, columns: Sequence[Column], *,
                    where: Optional[Mapping[str, Any]] = None, summary: Sequence[Any] = (),
                    note: Any = None, load: Sequence[str] = (), names: Sequence[str] = (),
                    report: Optional[Callable[..., Iterable[Any]]] = None, params: Sequence[Param] = (),
                    heading: Optional[Callable[..., Any]] = None, caption: Optional[Callable[[list], Any]] = None,
                    empty: Any = None, icon: str = "fa-table", menu: Optional[str] = None) -> Ledger:
    """Declare the ledger `key` over the registered entity of `model`; see `Ledger`.

    With `report`, a report ledger: rows from `report(**parameters)`, its page in the menu
    (`menu`: a group other than the entity's, e.g. "Reports"), printable on a sheet."""
    ledger = Ledger(key=key, title=title, model=model, columns=list(columns), where=dict(where or {}),
                    summary=list(summary), note=note, load=list(load), names=list(names), report=report,
                    params=list(params), heading=heading, caption=caption, empty=empty, icon=icon, menu=menu)
    _check(ledger)
    LEDGERS[key] = ledger
    if ledger.is_report:
        _menu_entry(ledger)
    return ledger


def ledgers_of(model: type) -> list[Ledger]:
    """The ledgers reading `model`, in the order declared."""
    return [ledger for ledger in LEDGERS.values() if ledger.model is model]

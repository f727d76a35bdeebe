"""The entity declaration: one `register(...)` call per model.

A declaration says only what differs between entities — which columns a list shows,
how the record page is sectioned, which children appear as tabs, where it sits in the
menu. `app.screens.build` turns every declaration into FAB screens, a REST API,
permissions, a menu entry and an Excel export.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from models.base import BusinessRecord


class Section(tuple):
    """A section of the record page and forms: `(title, fields)`, shown only `when` the
    record's values match — `{"direction": ["INCOMING"]}` — if a condition is given. The
    forms hide such a section until the controlling field has a matching value
    (app/static/js/conditions.js), so an incoming document's form asks nothing about
    drafting and issuing. Declared once, like every section."""

    when: dict[str, list[str]]

    def __new__(cls, title: Any, fields: Sequence[str], when: Optional[dict[str, Sequence[str]]] = None):
        section = super().__new__(cls, (title, list(fields)))
        section.when = {name: list(values) for name, values in (when or {}).items()}
        return section


@dataclass(frozen=True)
class ChildColumn:
    """A ledger column that fills one field of a child record (app/importer/children.py):
    a proposals ledger's 主办单位 is the unit of a lead assignment. The import offers it as
    the mapping target `<relation>.<name>`, labelled `label` in the user's language; a
    header names it by that label in either language, by a synonym, or by the label of
    one of the parent's export columns it `reads` back (co_departments: the ledger's own
    协办单位 column). `several`: one cell names several values (units separated by 、，,；;
    or spaces), one child each."""

    name: str
    field: str
    label: Any
    synonyms: Sequence[str] = ()
    reads: Sequence[str] = ()
    several: bool = False


@dataclass(frozen=True)
class ImportChild:
    """Child records an import creates from a row (app/importer/children.py): those of the
    parent's `relation` (a `child_rows` list), with `fixed` values (role=LEAD), their
    `columns`' cells, and `from_parent` {child field: parent field} — the row's own value
    of a parent field (a supervision item's lead unit gives its lead assignment). `same`:
    the child fields by which a stored child is this one on a re-import (kept, not
    doubled); `links` {child field: relation of an earlier declaration}: the child that
    declaration gave the same row (an evaluation judges the row's reply)."""

    relation: str
    columns: Sequence[ChildColumn] = ()
    fixed: dict[str, Any] = field(default_factory=dict)
    from_parent: dict[str, str] = field(default_factory=dict)
    same: Sequence[str] = ()
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CalendarSpec:
    """How an entity's records show on the office calendar (app/calendar): the attribute paths
    of their start and end ("start_at", or "request.start_at" for a booking whose times are
    its request's), a date `start` alone making an all-day event; the room or vehicle it holds
    (`resource`, the calendar's room and vehicle filters) and its unit (`unit`, the unit
    filter). Dragging an event moves the record that holds the times (the request of a
    booking) through the normal save: rules, scope, the version read."""

    start: str
    end: Optional[str] = None
    color: str = "#3a87ad"
    resource: Optional[str] = None
    unit: Optional[str] = None
    title: Any = None                           # record -> the event's words (default: its label)


@dataclass(frozen=True)
class PaperSpec:
    """One of the office's paper forms a record of the entity prints as (发文稿纸, 收文处理笺,
    督办通知单 …; app/paper_forms), or a file it is written as (an outgoing document in the
    GB/T 9704 format, app/paper).

    A form: `fill(record)` gives its values by name — the placeholders of its layout
    (app/templates/paper/forms/<key>.html, changeable in the console) — and it prints from the
    browser. A file: `render(record, fmt)` gives (bytes, file name) for each of `formats`. A form
    with `formats` and no `render` also downloads in them (PDF, Word), written from its drawn
    layout by app/paper_forms/files.py — the same layout the browser prints.
    `applies(record)` says whether this record has it (an incoming document has no 发文稿纸).
    `layout`: for a file, the office's layout of it that an admin changes in the console (an
    object with `suffix`, `media_type`, `accept`, `default_source()`, `placeholders()` and
    `refusal(body, record)`, e.g. app.paper.LAYOUT); a form's layout is its template."""

    key: str
    title: Any
    fill: Optional[Callable[[Any], dict]] = None
    applies: Callable[[Any], bool] = lambda record: True
    render: Optional[Callable[[Any, str], tuple[bytes, str]]] = None
    formats: Sequence[str] = ()
    layout: Any = None


@dataclass
class Entity:
    model: type
    group: str
    title: Any                                  # plural label: menu entry and list title
    list: Sequence[str]
    sections: Sequence[tuple[Any, Sequence[str]]]
    item: Any = None                            # singular label (defaults to title)
    search: Optional[Sequence[str]] = None      # the list's filters
    find: Optional[Sequence[str]] = None        # what the global search finds it by (app/search/index.py);
                                                # None: its text columns; () : not searched
    order: Optional[Sequence[str]] = None
    base_order: Optional[tuple[str, str]] = ("id", "desc")
    related: Sequence[type] = ()
    related_titles: dict[type, Any] = field(default_factory=dict)   # a related tab's title other than the
                                                # related entity's (a case's own merged cases: 并入本件的工单)
    readonly: Sequence[str] = ()                # on the record page, not in the forms
    step_only: Sequence[str] = ()               # what only a workflow step writes (解密's approver and
                                                # basis, 废止's reason): on the record page and in that
                                                # step's form, never in the add or edit forms or a PUT
    required: Sequence[str] = ()                # lookup and date fields marked required in the forms although
                                                # the column may be empty (a rule asks for them)
    export: Optional[Sequence[str]] = None
    synonyms: dict[str, Sequence[str]] = field(default_factory=dict)   # field -> other headers clerks' ledgers
                                                # give its column (建议号 for 建议提案号): the importer maps them
    menu: bool = True
    icon: str = "fa-table"
    admin_only: bool = False                    # configuration tables: Admin role only
    admin_edits: bool = False                   # read by every role, changed by admins only (the units:
                                                # where a user's scope comes from)
    read_only: bool = False                     # logs: read and export, never added, edited or deleted
    checks: Sequence[Any] = ()                  # rules: record -> [messages], run on every save
    fixes: Sequence[Any] = ()                   # rules with one right answer: fix(record) -> what it set, or
                                                # None; the importer applies them and reports a warning where
                                                # a form refuses (a 举报 is confidential: app/importer/fixes.py)
    view_attrs: dict[str, Any] = field(default_factory=dict)
    scope: Optional[Sequence[str]] = None       # paths to Department (app/registry/scope.py); () = office-wide
    workflow: Any = None                        # app.workflow.Workflow: status moves only through it
    deadline: Any = None                        # app.registry.deadlines.Deadline; None: inferred; False: none
    # What happens on a save, whatever path writes (app/lifecycle/__init__.py runs them):
    on_save: Sequence[Any] = ()                 # hook(record, change) on create, change, trash, restore
    on_change: Sequence[Any] = ()               # hook(record, change) on a stored record's change, trash,
                                                # restore only (a new record skips it: bulk import stays open)
    on_delete: Sequence[Any] = ()               # hook(record, change) when the row is deleted for good
    on_move: Sequence[Any] = ()                 # hook(record, move) after a status change is logged
    caches: Sequence[Any] = ()                  # forget() of a cache of these rows: run when one changes
    import_key: Sequence[str] = ()              # the business key an import updates by (a case number):
                                                # () offers insert only (app/importer/run.py)
    import_children: Sequence[ImportChild] = ()  # ledger columns that create child records
                                                # (app/importer/children.py): always the ORM path
    calendar: Optional[CalendarSpec] = None     # its records on the office calendar (app/calendar)
    papers: Sequence[PaperSpec] = ()            # the office's paper forms its records print as (app/paper_forms)

    @property
    def name(self) -> str:
        """Permission and view-menu name (stable, English, not shown to users)."""
        return self.model.__name__

    @property
    def slug(self) -> str:
        # ITProject -> it_project, MeetingDecision -> meeting_decision
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", self.model.__name__).lower()

    @property
    def is_business(self) -> bool:
        return issubclass(self.model, BusinessRecord)

    @property
    def fields(self) -> list[str]:
        """Every field the sections name, in order, once."""
        seen: list[str] = []
        for _title, names in self.sections:
            for name in names:
                if name not in seen:
                    seen.append(name)
        return seen

    @property
    def field_conditions(self) -> dict[str, dict[str, list[str]]]:
        """{field: when} for the fields of conditional sections (`Section(..., when=...)`)."""
        return {name: section.when for section in self.sections if getattr(section, "when", None)
                for name in section[1]}

    @property
    def form_fields(self) -> list[str]:
        """Fields of the add and edit forms: never the workflow's status, which only
        transitions change."""
        status = self.workflow.field if self.workflow is not None else None
        return [f for f in self.fields if f not in self.readonly and f not in self.step_only and f != status]

    @property
    def rules(self) -> list:
        """The entity's own checks, plus the ones every record obeys (its links stay in the
        user's scope) and those of every record with a secrecy level."""
        from app.registry.scope import links_in_scope, scoped_links

        extra = [links_in_scope] if scoped_links(self, REGISTRY) else []
        if "secrecy_level" in self.model.__table__.columns:
            from app.registry.secrecy import classified_without_files, files_within_level

            extra += [classified_without_files, files_within_level]
        return list(self.checks) + extra

    @property
    def permissions(self) -> list[str]:
        """FAB permissions on the entity: its acts, then (with a workflow) its rights beside
        the steps, such as the historical import, and one per transition."""
        from app.registry.permissions import ENTITY_PERMISSIONS, WORKFLOW_RIGHTS

        if self.read_only:
            return ["can_read", "can_export"]
        if self.workflow is None:
            return ENTITY_PERMISSIONS
        return ENTITY_PERMISSIONS + [right.permission for right in WORKFLOW_RIGHTS] + self.workflow.permissions


REGISTRY: dict[type, Entity] = {}


def register(model: type, **kwargs: Any) -> Entity:
    """Declare how people work with `model`; see `Entity` for the options."""
    entity = Entity(model=model, **kwargs)
    unknown = sorted(set(entity.synonyms) - set(entity.fields))
    if unknown:                      # a typo would silently never map
        raise ValueError(f"{entity.name}: synonyms for fields not in its sections: {', '.join(unknown)}")
    _check_children(entity)
    if entity.item is None:
        entity.item = entity.title
    REGISTRY[model] = entity
    return entity


def _check_children(entity: Entity) -> None:
    """A child declaration naming a relation or field that does not exist would silently
    import nothing: refuse it when the app starts."""
    from sqlalchemy import inspect as sa_inspect

    relationships = sa_inspect(entity.model).relationships
    names: set[str] = set()
    for child in entity.import_children:
        if child.relation not in relationships:
            raise ValueError(f"{entity.name}: import_children names no relation {child.relation}")
        model = relationships[child.relation].mapper.class_
        attributes = sa_inspect(model).attrs.keys()
        fields = [c.field for c in child.columns] + list(child.fixed) + list(child.from_parent) \
            + list(child.same) + list(child.links)
        unknown = sorted({name for name in fields if name not in attributes})
        if unknown:
            raise ValueError(f"{entity.name}.{child.relation}: {model.__name__} has no {', '.join(unknown)}")
        if sum(c.several for c in child.columns) > 1:
            raise ValueError(f"{entity.name}.{child.relation}: one column of several values per child at most")
        for column in child.columns:
            target = f"{child.relation}.{column.name}"
            if target in names:
                raise ValueError(f"{entity.name}: the import column {target} is declared twice")
            names.add(target)


def entity_for(model: type) -> Entity:
    return REGISTRY[model]


@dataclass
class Page:
    """A hand-written screen (a FAB BaseView: a ledger, a dashboard) in a menu group, or a
    link to a screen another view serves (`register_link`: a report ledger's page)."""

    view: Optional[type]
    group: str
    name: str                                   # menu entry name: FAB's menu_access is on it
    label: Any
    icon: str = "fa-file-text-o"
    href: Optional[str] = None                  # a link's URL (view is None)


#: Pages in the order registered; `build()` puts each at the end of its menu group.
PAGES: list[Page] = []


def register_page(view_class: type, group: str, name: Optional[str], label: Any,
                  icon: str = "fa-file-text-o") -> Page:
    """Add a page to the menu group `group`, after the group's entities.

    `name` names the menu entry, and FAB's `menu_access` permission is on that name. Roles
    get menu access per entity name, so a page that reads an entity (its
    `class_permission_name`) should use that name — the default when `name` is None — and
    whoever may read the entity then sees the page in the menu too.
    """
    page = Page(view_class, group, name or view_class.class_permission_name, label, icon)
    PAGES[:] = [p for p in PAGES if p.view is not view_class] + [page]
    return page


def register_link(href: str, group: str, name: str, label: Any, icon: str = "fa-file-text-o") -> Page:
    """Add a menu entry to `href` (a URL another view serves) in `group`, in the order of
    the pages; `name` is the menu entry's name as for `register_page`."""
    page = Page(None, group, name, label, icon, href)
    PAGES[:] = [p for p in PAGES if p.href != href] + [page]
    return page

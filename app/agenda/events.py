"""The office calendar's events, and moving one (register(..., calendar=CalendarSpec(...))).

Each source is an entity declaring where its times are. Its events are its list's own query
(the user's scope, need-to-know and the Trash, through the view's data layer) over the
window shown, so the calendar never shows a record its list would not. Dragging an event
moves the record that holds the times — a booking's request — through the same rules a
form save runs (a room or car already taken refuses the move, naming who has it), at the
version the calendar read, in the user's rights on that record.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from flask import current_app, url_for
from flask_babel import gettext
from sqlalchemy import Date
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from app.extensions import db
from app.registered_views import view_of
from app.registry.checks import RuleViolation
from app.registry.introspect import column_of, relationship_of
from app.registry.saving import judge
from app.registry.spec import REGISTRY, CalendarSpec, Entity, entity_for

#: Events of one source in one window at most (a month of a busy fleet is a few hundred).
MOST_EVENTS = 1000


@dataclass(frozen=True)
class Source:
    entity: Entity
    spec: CalendarSpec
    view: Any

    @property
    def name(self) -> str:
        return self.entity.name


def sources() -> list[Source]:
    """The calendar's sources the current user may read, in the registry's order."""
    sm = current_app.appbuilder.sm
    out = []
    for entity in REGISTRY.values():
        if entity.calendar is None:
            continue
        view = view_of(entity)
        if view is not None and sm.has_access("can_read", view.class_permission_name):
            out.append(Source(entity, entity.calendar, view))
    return out


def source_named(name: str) -> Optional[Source]:
    return next((s for s in sources() if s.name == name), None)


def _split(path: str) -> tuple[Optional[str], str]:
    """("request", "start_at") for "request.start_at"; (None, "start_at") for "start_at"."""
    head, _dot, tail = path.rpartition(".")
    return (head or None), tail


def holder_model(source: Source):
    """The model whose row holds the times: the entity's own, or the related one's."""
    relation, _column = _split(source.spec.start)
    if relation is None:
        return source.entity.model
    return relationship_of(source.entity.model, relation).mapper.class_


def _is_date(model, name: str) -> bool:
    column = column_of(model, name)
    return column is not None and isinstance(column.type, Date)


def _window(source: Source, start: dt.datetime, end: dt.datetime, filters: dict):
    """The source's records overlapping [start, end) and matching `filters`, through its list's scope."""
    model = source.entity.model
    spec = source.spec
    query = db.session.query(model)
    relation, start_name = _split(spec.start)
    holder = model
    if relation is not None:          # a booking's times are its request's: joined on an alias, so that
        holder = aliased(relationship_of(model, relation).mapper.class_)    # the scope's EXISTS stays its own
        query = query.join(holder, getattr(model, relation).of_type(holder))
    start_col = getattr(holder, start_name)
    end_col = getattr(holder, _split(spec.end)[1]) if spec.end else None
    if _is_date(holder_model(source), start_name):
        query = query.filter(start_col >= start.date(), start_col < end.date() + dt.timedelta(days=1))
    else:
        query = query.filter(start_col.isnot(None), start_col < end,
                             (end_col if end_col is not None else start_col) >= start)
    if spec.resource and filters.get(spec.resource):
        query = query.filter(getattr(model, f"{spec.resource}_id") == filters[spec.resource])
    if spec.unit and filters.get("unit"):
        unit_relation, unit_name = _split(spec.unit)
        owner = holder if unit_relation is not None else model
        query = query.filter(getattr(owner, f"{unit_name}_id") == filters["unit"])
    query = source.view.datamodel.apply_inner_all(query, source.view._base_filters)
    return query.order_by(None).order_by(start_col, model.id).limit(MOST_EVENTS)


def _holder_of(source: Source, record):
    relation, _name = _split(source.spec.start)
    return record if relation is None else getattr(record, relation)


def may_move(source: Source) -> bool:
    """Whether the user may drag the source's events: he may edit the record holding the times."""
    holder = entity_for(holder_model(source))
    view = view_of(holder) if holder is not None else None
    return view is not None and current_app.appbuilder.sm.has_access("can_edit", view.class_permission_name)


def _iso(value) -> Optional[str]:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def events(source: Source, start: dt.datetime, end: dt.datetime, filters: dict) -> list[dict]:
    """FullCalendar's event objects of `source` in the window."""
    spec = source.spec
    editable = may_move(source)
    _relation, start_name = _split(spec.start)
    _relation, end_name = _split(spec.end) if spec.end else (None, None)
    all_day = _is_date(holder_model(source), start_name)
    out = []
    for record in _window(source, start, end, filters):
        holder = _holder_of(source, record)
        if holder is None:
            continue
        begins = getattr(holder, start_name)
        ends = getattr(holder, end_name) if end_name else None
        title = spec.title(record) if spec.title is not None else str(record)
        out.append({
            "id": f"{source.name}-{record.id}", "title": title or f"#{record.id}", "start": _iso(begins),
            "end": _iso(ends) if ends and not all_day else None, "allDay": all_day,
            "url": url_for(f"{source.view.endpoint}.show", pk=record.id), "color": spec.color,
            "editable": editable, "durationEditable": editable and end_name is not None,
            "extendedProps": {"entity": source.name, "pk": record.id,
                              "version": getattr(holder, "row_version", None)},
        })
    return out


def parse_time(text: Optional[str]) -> Optional[dt.datetime]:
    """A time the calendar sends ("2026-12-07T10:00:00Z", "2026-12-07"), as the office's naive
    local time (the calendar shows the stored times as they are: its zone is UTC)."""
    if not text:
        return None
    text = text.strip().replace("Z", "")
    if "+" in text[10:]:
        text = text[:10] + text[10:].split("+")[0]
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=None)


class MoveRefused(Exception):
    """The move was not made: `status` (403, 404, 409) and the reasons in the user's language."""

    def __init__(self, status: int, messages: list[str]) -> None:
        super().__init__(messages)
        self.status = status
        self.messages = messages


def move(source: Source, pk, start: dt.datetime, end: Optional[dt.datetime], version) -> None:
    """Move record `pk` of `source` to [start, end): the record holding its times, at `version`."""
    record = source.view.datamodel.get(pk, source.view._base_filters)
    if record is None:
        raise MoveRefused(404, [gettext("This record is not in your scope or no longer exists.")])
    holder = _holder_of(source, record)
    holder_entity = entity_for(type(holder))
    holder_view = view_of(holder_entity) if holder_entity is not None else None
    if holder_view is None or not may_move(source):
        raise MoveRefused(403, [gettext("You may not change this record.")])
    if holder_view.datamodel.get(holder.id, holder_view._base_filters) is None:
        raise MoveRefused(404, [gettext("This record is not in your scope or no longer exists.")])
    if version is not None and getattr(holder, "row_version", None) is not None \
            and str(holder.row_version) != str(version):
        raise MoveRefused(409, [gettext("Someone changed this record meanwhile: the calendar shows it again "
                                        "as it is now.")])
    _relation, start_name = _split(source.spec.start)
    all_day = _is_date(type(holder), start_name)
    old_start = getattr(holder, start_name)
    setattr(holder, start_name, start.date() if all_day else start)
    if source.spec.end:
        _relation, end_name = _split(source.spec.end)
        old_end = getattr(holder, end_name)
        if end is not None:
            setattr(holder, end_name, end)
        elif old_end is not None and old_start is not None and not all_day:
            setattr(holder, end_name, start + (old_end - old_start))     # moved, same length
    session = db.session
    try:
        with session.no_autoflush:
            judge(holder_entity, holder, session, new=False)
        session.commit()
    except RuleViolation as error:
        session.rollback()
        raise MoveRefused(409, list(error.messages)) from None
    except SQLAlchemyError:
        session.rollback()           # a save that won a race: the rules, seeing it now, say why
        holder = holder_view.datamodel.get(holder.id, holder_view._base_filters)
        messages = [gettext("Not saved: another change came first. Reload the calendar.")]
        if holder is not None:
            setattr(holder, start_name, start.date() if all_day else start)
            try:
                with session.no_autoflush:
                    judge(holder_entity, holder, session, new=False)
            except RuleViolation as error:
                messages = list(error.messages)
            finally:
                session.rollback()
        raise MoveRefused(409, messages) from None

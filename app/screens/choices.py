"""A saved form's drop-downs checked against the records chosen, not every record offered.

FAB's QuerySelectField validates a submitted unit by loading every unit it could offer and
looking for the chosen one among them: on a save, a full read of each related table (a
few hundred units, every staff member of a unit's list) to check one id. While a form is
validated its relation fields ask only for the ids submitted — through the same related
interface, so the user's scope and the Trash still decide what may be chosen, and a value
the record already holds (`keep_current`) stays acceptable. A form shown again after a
refusal offers the whole list again.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from sqlalchemy import inspect as sa_inspect

#: The attribute on a field that holds the record's current values (`keep_current`).
HELD = "office_held"


def keep_current(field, held: Callable[[], list]) -> None:
    """Offer the values the record already has (`held()`, read only when asked: a save whose
    choices are all in the user's scope never loads them) beside the user's own choices."""
    offered = field.query_func
    setattr(field, HELD, held)

    def query():
        rows = list(offered())
        return rows + [obj for obj in held() if obj not in rows]
    field.query_func = query


def _submitted(field) -> list:
    data = field._formdata
    if data is None:
        return []
    return list(data) if isinstance(field, QuerySelectMultipleField) else [data]


def _only(datamodel, field, values: list):
    """The query of the related records among `values` (as typed in the form) the field may offer."""
    related = datamodel.get_related_interface(field.name)
    (pk,) = sa_inspect(related.obj).primary_key
    kind = pk.type.python_type
    ids = []
    for value in values:
        try:
            ids.append(kind(value))
        except (TypeError, ValueError):
            continue                      # not an id: matches nothing, refused as FAB refuses it
    held = getattr(field, HELD, None)

    def query():
        rows = related.apply_inner_all(related.session.query(related.obj).filter(pk.in_(ids))).all() if ids else []
        found = {str(related.get_pk_value(obj)) for obj in rows}
        if held is None or all(value in found for value in values):
            return rows
        return rows + [obj for obj in held() if obj not in rows and str(related.get_pk_value(obj)) in values]
    return query


@contextmanager
def submitted_only(datamodel, form):
    """While validating `form`: each relation field reads only the records submitted."""
    narrowed = []
    for field in form:
        if isinstance(field, QuerySelectField) and field.name in datamodel.list_properties:
            values = _submitted(field)
            if values:
                narrowed.append((field, field.query_func))
                field.query_func = _only(datamodel, field, [str(v) for v in values])
                field._object_list = None
    try:
        yield
    finally:
        for field, offered in narrowed:
            field.query_func = offered
            field._object_list = None

"""A linked record named in a cell: by its code, its name in either language, or the
text its list shows — only among the records the importing user can see.

Each target table is read once per import (only id and naming columns, through the
target's department scope), so a thousand rows naming the same unit cost one query.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import String, select

from app.importer.convert import CellError, _text
from app.importer.fields import normalise
from app.registry.scope import scope_condition
from app.registry.spec import REGISTRY

#: Columns that name a record, in the order a person would use them.
NAME_COLUMNS = ("code", "name_zh", "name_en", "short_name_zh", "name", "title", "item_no", "case_no",
                "receive_no", "username")
#: Below this many rows a target is also matched by its display text (`str(record)`),
#: which needs the ORM objects.
DISPLAY_MATCH_LIMIT = 20_000
AMBIGUOUS = -1


class References:
    def __init__(self, session):
        self.session = session
        self._index: dict[type, dict[str, int]] = {}

    def _live(self, model):
        conditions = []
        if hasattr(model, "is_deleted"):
            conditions.append(model.is_deleted.is_(False))
        entity = REGISTRY.get(model)
        condition = scope_condition(entity) if entity is not None else None
        if condition is not None:
            conditions.append(condition)
        return conditions

    def index(self, model) -> dict[str, int]:
        """Normalised name -> id (AMBIGUOUS when two visible records share it)."""
        if model in self._index:
            return self._index[model]
        columns = [c for c in model.__table__.columns
                   if c.key in NAME_COLUMNS or (c.unique and isinstance(c.type, String))]
        out: dict[str, int] = {}

        def add(text: Any, pk: int) -> None:
            if text in (None, ""):
                return
            for key in {normalise(text), str(text)}:     # as typed, and as compared
                if out.get(key, pk) != pk:
                    out[key] = AMBIGUOUS
                else:
                    out[key] = pk

        conditions = self._live(model)
        if columns:
            query = select(model.id, *[getattr(model, c.key) for c in columns]).where(*conditions)
            for row in self.session.execute(query):
                for text in row[1:]:
                    add(text, row[0])
        count = len(set(v for v in out.values() if v != AMBIGUOUS))
        if not columns or count <= DISPLAY_MATCH_LIMIT:
            for record in self.session.scalars(select(model).where(*conditions).limit(DISPLAY_MATCH_LIMIT)):
                add(str(record), record.id)
        self._index[model] = out
        return out

    def converter(self, model):
        as_text = _text(None)

        def convert(value: Any) -> int:
            index = self.index(model)
            pk = index.get(value) if value.__class__ is str else None    # the name exactly as listed
            if pk is None:
                pk = index.get(normalise(as_text(value)))
            if pk is None:
                raise CellError(gettext("No such record that you may use: %(value)s", value=value))
            if pk == AMBIGUOUS:
                raise CellError(gettext("Several records are named %(value)s: use the code", value=value))
            return pk
        return convert

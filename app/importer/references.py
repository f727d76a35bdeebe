"""A linked record named in a cell: by its code, its name in either language, or the
text its list shows — only among the records the importing user can see.

Each target table is read once per import (only id and naming columns, through the
target's department scope), so a thousand rows naming the same unit cost one query.
"""
from __future__ import annotations

import difflib
from typing import Any

from flask_babel import gettext
from sqlalchemy import String, select

from app.importer.convert import CellError, _text, plain
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
#: Prefixes a ledger may put before a unit's name, or leave off: 厦门市发展和改革委员会,
#: 市发展和改革委员会 and 发展和改革委员会 name one unit.
CITY_PREFIXES = ("厦门市", "厦门")
#: Names offered after "did you mean": the closest few, if close enough.
SUGGESTIONS = 3
SUGGEST_CUTOFF = 0.5
#: Columns whose text is offered as a suggestion (a code is not a name to suggest).
SUGGEST_COLUMNS = ("name_zh", "short_name_zh", "name", "title")
#: Above this many names, a name matching nothing gets no suggestions: difflib would
#: compare it with every one.
SUGGEST_LIMIT = 5000


def city_variants(text: str) -> list[str]:
    """The name as written, then without or with the city's prefix."""
    core = text
    for prefix in CITY_PREFIXES:
        if core.startswith(prefix) and len(core) > len(prefix):
            core = core[len(prefix):]
            break
    variants = [text, core]
    if not core.startswith("市"):
        variants += ["市" + core, "厦门市" + core]
    else:
        variants.append("厦门" + core)
    return list(dict.fromkeys(v for v in variants if v))


class References:
    def __init__(self, session):
        self.session = session
        self._index: dict[type, dict[str, int]] = {}
        self._names: dict[type, list[str]] = {}
        self._aliases: dict[str, str] | None = None
        self._alias_text: list[tuple[str, str]] = []

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
        names: set[str] = set()
        suggested = [i for i, c in enumerate(columns, start=1) if c.key in SUGGEST_COLUMNS]

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
                names.update(row[i] for i in suggested if row[i])
        count = len(set(v for v in out.values() if v != AMBIGUOUS))
        if not columns or count <= DISPLAY_MATCH_LIMIT:
            for record in self.session.scalars(select(model).where(*conditions).limit(DISPLAY_MATCH_LIMIT)):
                add(str(record), record.id)
        self._index[model] = out
        self._names[model] = sorted(names) if len(names) <= SUGGEST_LIMIT else []
        return out

    def aliases(self) -> dict[str, str]:
        """Normalised other name of a unit -> the unit's full name (models/org.py)."""
        if self._aliases is None:
            from models.org import UnitAlias

            query = select(UnitAlias.alias, UnitAlias.unit_name).where(UnitAlias.is_deleted.is_(False))
            self._alias_text = [tuple(row) for row in self.session.execute(query)]
            self._aliases = {normalise(alias): name for alias, name in self._alias_text}
        return self._aliases

    def _find(self, model, index: dict[str, int], text: str) -> int | None:
        """A unit by its name as written, with or without 厦门市, or by an other name."""
        pk = index.get(normalise(text))
        if pk is not None or not self._is_unit(model):
            return pk
        variants = city_variants(plain(text).strip())
        for variant in variants:
            pk = index.get(normalise(variant))
            if pk is not None:
                return pk
        aliases = self.aliases()
        for variant in variants:
            name = aliases.get(normalise(variant))
            if name is not None:
                pk = index.get(normalise(name))
                if pk is not None:
                    return pk
        return None

    @staticmethod
    def _is_unit(model) -> bool:
        from models.org import Department

        return model is Department

    def suggestions(self, model, text: str) -> list[str]:
        """The closest names, one per record, for a name that matches no record."""
        index = self.index(model)
        names = self._names.get(model) or []
        if self._is_unit(model):
            names = names + sorted(self.aliases_as_written())
        matches: list[tuple[float, str]] = []
        for variant in city_variants(plain(text).strip()) if self._is_unit(model) else [text]:
            for name in difflib.get_close_matches(variant, names, n=SUGGESTIONS * 3, cutoff=SUGGEST_CUTOFF):
                matches.append((difflib.SequenceMatcher(None, variant, name).ratio(), name))
        out: list[str] = []
        records: set[int] = set()
        for _ratio, name in sorted(matches, key=lambda m: -m[0]):
            pk = self._find(model, index, name)
            if pk is None or pk == AMBIGUOUS or pk in records:
                continue
            records.add(pk)
            out.append(name)
        return out[:SUGGESTIONS]

    def aliases_as_written(self) -> set[str]:
        """Other names whose unit the user may see (a name he cannot use is no hint)."""
        from models.org import Department

        self.aliases()
        index = self.index(Department)
        return {alias for alias, name in self._alias_text if index.get(normalise(name)) not in (None, AMBIGUOUS)}

    def converter(self, model):
        as_text = _text(None)

        def convert(value: Any) -> int:
            index = self.index(model)
            pk = index.get(value) if value.__class__ is str else None    # the name exactly as listed
            if pk is None:
                pk = self._find(model, index, as_text(value))
            if pk is None:
                close = self.suggestions(model, as_text(value))
                if close:
                    raise CellError(gettext("No such record that you may use: %(value)s. Did you mean %(names)s?",
                                            value=value, names="、".join(close)))
                raise CellError(gettext("No such record that you may use: %(value)s", value=value))
            if pk == AMBIGUOUS:
                raise CellError(gettext("Several records are named %(value)s: use the code", value=value))
            return pk
        return convert

"""Ledger columns that belong to child records create those children (issue 18, item 5).

A proposals ledger carries each proposal's 主办单位, 协办单位, 答复日期, 答复类别 and 评价; a
supervision ledger its 配合单位, 最新进展 and 反馈日期. Those are not fields of the proposal
or the item but of its handling units, replies, evaluations and progress reports. An
entity declares which columns make which children (`register(..., import_children=[
ImportChild(...)])`, app/registry/spec.py); this module turns the declaration into:

  - mapping targets (`child_import_fields`): `assignments.lead`, `replies.date`, ... —
    import fields like the parent's own, so the mapping step, the import API's mapping,
    the remembered mapping and the template offer them without knowing they are children;
    a header names one by its label in either language, a synonym, or the label of the
    export column it reads back (a ledger export imports back with its children);
  - checks (`ChildRows`): the cells are converted by the parent's converters (units by
    name, short name or alias with "did you mean", lookups by label or synonym, dates
    written the Chinese ways), the units checked against the user's scope in bulk as the
    parent's links are (app/importer/links.py), then each row's children are built on its
    record and judged by their own entity's rules (`reply_problems`, one lead unit, the
    scope rule) before the parent's rules run — so the parent's rules see its children.
    Every problem names the file's row and the header as written, in the one pass of the
    import; a row with one writes nothing, a file with one writes nothing;
  - writing: the children hang on the parent record, so the import's one flush writes
    them through the lifecycle (their entity's save hooks — the proposal's lead unit
    follows its lead assignment, the item's lead assignment sets its lead unit — and the
    audit trail). An entity declaring children always takes the importer's ORM path.

A re-import (update, upsert) only adds: a stored child the row names again — the same
`same` fields, e.g. the same unit among the proposal's handling units, a reply of the
same date, an evaluation with the same date and result — is kept as it is, not doubled and
not changed; a child the file does not name is not removed. Children are edited and
removed on their tabs, where their own rules and history apply; an import that silently
rewrote or dropped a unit's reply would lose what the ledger never held.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from flask_babel import force_locale, gettext
from sqlalchemy import inspect as sa_inspect

from app.importer.fields import ImportField, field_of, labels_of
from app.importer.links import scoped_columns, visible_ids
from app.registry.checks import problems as rule_problems
from app.registry.introspect import label_of
from app.registry.scope import current_department_ids
from app.registry.spec import REGISTRY, ChildColumn, Entity, ImportChild
from models.base import live


def child_model(entity: Entity, child: ImportChild) -> type:
    return sa_inspect(entity.model).relationships[child.relation].mapper.class_


def target_name(child: ImportChild, column: ChildColumn) -> str:
    """The stable name of a child column as a mapping target: `assignments.lead`."""
    return f"{child.relation}.{column.name}"


def _labels(text: Any) -> dict[str, str]:
    out = {}
    for locale in ("zh", "en"):
        with force_locale(locale):
            out[locale] = str(text)
    return out


def child_import_fields(entity: Entity) -> list[ImportField]:
    """The child columns of the entity as import fields, labelled "主办单位（办理单位）" —
    the column, then the child list it fills — and never required of a file."""
    out = []
    for child in entity.import_children:
        model = child_model(entity, child)
        listed = labels_of(entity.model, child.relation)
        for column in child.columns:
            base = field_of(model, column.field)
            if base is None:
                raise ValueError(f"{model.__name__}.{column.field} cannot be imported")
            own = _labels(column.label)
            words = [*own.values(), *column.synonyms]
            for name in column.reads:
                words += labels_of(entity.model, name).values()
            name = target_name(child, column)
            labels = {locale: own[locale] if listed[locale] in own[locale] else
                      f"{own[locale]}（{listed[locale]}）" if locale == "zh" else f"{own[locale]} ({listed[locale]})"
                      for locale in own}
            out.append(replace(base, name=name, key=name, required=False, default=None, unique=False, labels=labels,
                               synonyms=tuple(dict.fromkeys(words)), several=column.several))
    return out


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


class _Declared:
    """One declaration as this file maps it: its mapped columns and where they are."""

    def __init__(self, entity: Entity, child: ImportChild, plan):
        self.child = child
        self.model = child_model(entity, child)
        self.entity = REGISTRY.get(self.model)
        placed = {f.name: (i, f, header) for i, f, header in plan.columns}
        # (child field, key in the row's cells, position in the file, import field, header as written)
        self.columns = [(column.field, target_name(child, column), *placed[target_name(child, column)])
                        for column in child.columns if target_name(child, column) in placed]
        self.parent = []                               # (child field, parent's key, header)
        for child_field, parent_field in child.from_parent.items():
            found = next(((f.key, header) for _i, f, header in plan.columns if f.name == parent_field), None)
            if found is not None:
                self.parent.append((child_field, *found))
        headers = [column[4] for column in self.columns] + [header for _c, _k, header in self.parent]
        self.header = " + ".join(headers)
        self.fields = {column.field: field_of(self.model, column.field) for column in child.columns}
        for child_field in child.from_parent:
            self.fields[child_field] = field_of(self.model, child_field)

    @property
    def used(self) -> bool:
        return bool(self.columns or self.parent)

    def required(self) -> list[str]:
        """The child's fields a child cannot be saved without that neither a fixed value,
        a default nor its parent fills."""
        mapper = sa_inspect(self.model)
        parent_keys = {c.key for rel in mapper.relationships if rel.direction.name == "MANYTOONE"
                       and rel.back_populates == self.child.relation for c in rel.local_columns}
        out = []
        for column in mapper.columns:
            if column.nullable or column.primary_key or column.default is not None \
                    or column.server_default is not None or column.key in parent_keys:
                continue
            attribute = next((rel.key for rel in mapper.relationships
                              if rel.direction.name == "MANYTOONE" and column in rel.local_columns), column.key)
            if attribute not in self.child.fixed and column.key not in self.child.fixed:
                out.append(attribute)
        return out


class ChildRows:
    """The child cells of every row of a file, taken out of the rows the parent is built
    from, checked, and hung on each row's record by `attach`."""

    def __init__(self, plan, sheet, rows: list[dict], session, result, problem):
        entity = plan.entity
        self.sheet, self.rows, self.session = sheet, rows, session
        self.problem = problem
        self.declared = [d for d in (_Declared(entity, child, plan) for child in entity.import_children) if d.used]
        keys = {key for d in self.declared for _field, key, *_rest in d.columns}
        self.cells: list[dict[str, Any]] = [{key: row.pop(key) for key in keys if key in row} for row in rows]
        self._check_scope(result)

    def _raw(self, j: int, position: int) -> Any:
        cells = self.sheet.rows[j]
        return cells[position] if position < len(cells) else ""

    def _check_scope(self, result) -> None:
        """A unit the user may not use, refused as the parent's links are (links.py): by
        the cell, with the words of a name that matches no record, its value dropped."""
        if current_department_ids() is None:
            return
        for d in self.declared:
            if d.entity is None:
                continue
            scoped = scoped_columns(d.entity)
            for name, key, position, f, header in d.columns:
                target = scoped.get(d.fields[name].key)        # the child's link column: department_id
                if f.kind != "relation" or target is None:
                    continue
                ids = {pk for cells in self.cells for pk in _listed(cells.get(key)) if pk is not None}
                outside = ids - visible_ids(self.session, target, ids) if ids else set()
                if not outside:
                    continue
                for j, cells in enumerate(self.cells):
                    if not set(_listed(cells.get(key))) & outside:
                        continue
                    value = self._raw(j, position)
                    result.problems.append(self.problem(self.sheet.row_numbers[j], header, value, gettext(
                        "No such record that you may use: %(value)s", value=value)))
                    cells[key] = None

    def _instances(self, d: _Declared, j: int) -> list[tuple[dict[str, Any], set[str]]]:
        """The children the row gives one declaration: [(child field -> value, the fields
        whose cell was written but could not be read)]; none when no cell of it is written."""
        values: dict[str, Any] = {}
        unread: set[str] = set()
        several: Optional[str] = None
        written = False
        for child_field, key, position, f, _header in d.columns:
            if _blank(self._raw(j, position)):
                continue
            written = True
            value = self.cells[j].get(key)
            if value is None:
                unread.add(child_field)
            elif f.several:
                several = child_field
            values[child_field] = value
        for child_field, parent_key, _header in d.parent:
            value = self.rows[j].get(parent_key)
            if value is not None:
                written = True
                values[child_field] = value
        if not written:
            return []
        if several is None:
            return [(values, unread)]
        return [({**values, several: one}, unread) for one in values[several]]

    def attach(self, j: int, number: int, record, stored: bool, result) -> bool:
        """Build the row's children on `record` (a stored record keeps the children it has:
        one the row names again is not added twice) and check them; True if a problem was
        found. The children are built on a row with a bad cell too, so that their own
        problems are reported in this pass, not after the cell is corrected."""
        found = False
        built: list[tuple[_Declared, Any]] = []
        of_row: dict[str, Any] = {}
        for d in self.declared:
            children = getattr(record, d.child.relation)
            for values, unread in self._instances(d, j):
                kept = self._stored(d, children, values) if stored else None
                if kept is not None:
                    of_row.setdefault(d.child.relation, kept)
                    continue
                child = d.model()
                for name, value in {**d.child.fixed, **values}.items():
                    f = d.fields.get(name)
                    if f is not None and f.kind == "relation":
                        value = None if value is None else self.session.get(f.target, value)
                    setattr(child, name, value)
                for name, relation in d.child.links.items():
                    if relation in of_row:
                        setattr(child, name, of_row[relation])
                children.append(child)
                of_row.setdefault(d.child.relation, child)
                built.append((d, child))
                found |= self._missing(d, child, values, unread, number, result)
        for d, child in built:            # after the whole row is built: a rule sees the siblings
            if d.entity is None:
                continue
            for message in rule_problems(d.entity.rules, child):
                result.problems.append(self.problem(number, d.header, "", message))
                found = True
        return found

    def _stored(self, d: _Declared, children, values: dict[str, Any]) -> Any:
        """The stored child this one is, by the declaration's `same` fields; a field the row
        leaves empty does not tell two apart (a ledger's evaluation has no date)."""
        if not d.child.same:
            return None
        wanted = {}
        for name in d.child.same:
            f = d.fields.get(name)
            value = values.get(name, d.child.fixed.get(name))
            wanted[f.key if f is not None and f.kind == "relation" else name] = value
        wanted = {key: value for key, value in wanted.items() if value is not None}
        if not wanted:                    # a row naming none of them cannot name a stored one
            return None
        for old in live(children):
            if old.id is not None and all(getattr(old, key) == value for key, value in wanted.items()):
                return old
        return None

    def _missing(self, d: _Declared, child, values: dict[str, Any], unread: set[str], number: int,
                 result) -> bool:
        """A child without a value it cannot be saved without: its cell is empty, or the
        file has no column for it."""
        found = False
        for name in d.required():
            if getattr(child, name, None) is not None or name in unread:
                continue
            column = next((header for child_field, _k, _p, _f, header in d.columns if child_field == name), None)
            if column is not None:
                result.problems.append(self.problem(number, column, "", gettext("Required, but the cell is empty")))
            else:
                result.problems.append(self.problem(number, d.header, "", gettext(
                    "%(child)s needs %(field)s: the file has no column for it",
                    child=str(d.entity.item if d.entity is not None else d.model.__name__),
                    field=str(label_of(d.model, name)))))
            found = True
        return found


def _listed(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]

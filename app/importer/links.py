"""The scope check of a form save (`links_in_scope`), run on a whole file at once.

A form save runs `links_in_scope` on its record: every link it sets points to a record
the user may see. The importer's ORM path runs it per record; the bulk path builds no
records, so before this check it relied on the reference resolver alone
(app/importer/references.py) having looked names up among visible records. Here both
paths check the linked ids themselves, the way the rule does (the target's scope, not in
the Trash), with one query per 500 distinct ids of a column instead of one per row: a
row linking a record the user may not see is refused with the message of a name that
matches no record, and nothing of it is written. The row's other checks still run, its
link left empty, so the report lists all of its problems at once.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from app.registry.scope import current_department_ids, scope_condition, scoped_links
from app.registry.spec import REGISTRY

#: Ids per IN (...) list: far under every backend's parameter limit.
BATCH = 500


def scoped_columns(entity) -> dict[str, object]:
    """{foreign-key column: target entity} of the entity's links a scope limits."""
    return {next(iter(rel.local_columns)).key: target for rel, target in scoped_links(entity, REGISTRY)}


def visible_ids(session, target, ids: set[int]) -> set[int]:
    """Those of `ids` that are records of `target` the user may link to."""
    model = target.model
    condition = scope_condition(target)
    found: set[int] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), BATCH):
        query = select(model.id).where(model.id.in_(wanted[start:start + BATCH]))
        if target.is_business:
            query = query.where(model.is_deleted.is_(False))
        if condition is not None:
            query = query.where(condition)
        found.update(session.execute(query).scalars())
    return found


def check_links(plan, sheet, rows: list, session, result, problem) -> None:
    """Refuse (the link emptied, with a problem naming the cell) each row linking a record
    outside the user's scope. `problem(row, column, value, reason)` makes a report line."""
    if current_department_ids() is None:          # no unit limit: every record is visible
        return
    columns = scoped_columns(plan.entity)
    checked = [(i, f.key, header, columns[f.key]) for i, f, header in plan.columns
               if f.kind == "relation" and f.key in columns]
    for index, key, header, target in checked:
        ids = {values[key] for values in rows if values.get(key) is not None}
        if not ids:
            continue
        outside = ids - visible_ids(session, target, ids)
        if not outside:
            continue
        for j, values in enumerate(rows):
            if values.get(key) in outside:
                cells = sheet.rows[j]
                value = cells[index] if index < len(cells) else values[key]
                result.problems.append(problem(sheet.row_numbers[j], header, value,
                                               gettext("No such record that you may use: %(value)s",
                                                       value=value)))
                values[key] = None

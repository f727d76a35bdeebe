"""The unit tree and the function owners, kept per process (`SharedCache`).

Every scoped request asks which units are under the user's unit (his scope) and which
units are above it (the functions it runs): read from the database, that was the whole
`department` table twice a request and the owner table once — 3,400 statements in a
one-minute load test. Both change only when an admin edits the organisation or the
console's function owners; the stamp of their table then makes every worker read them
again at its next request.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models.cache_stamps import SharedCache
from models.org import Department
from models.ownership import FunctionOwner


@dataclass(frozen=True)
class Tree:
    parent: dict[int, int | None]
    children: dict[int | None, tuple[int, ...]]


def _tree(session) -> Tree:
    parent = dict(session.execute(select(Department.id, Department.parent_id)).all())
    children: dict[int | None, list[int]] = {}
    for pk, up in parent.items():
        children.setdefault(up, []).append(pk)
    return Tree(parent, {k: tuple(v) for k, v in children.items()})


def _owners(session) -> dict[int, frozenset[str]]:
    rows = session.execute(select(FunctionOwner.department_id, FunctionOwner.function)
                           .where(FunctionOwner.is_deleted.is_(False))).all()
    out: dict[int, set[str]] = {}
    for unit, function in rows:
        out.setdefault(unit, set()).add(function)
    return {unit: frozenset(functions) for unit, functions in out.items()}


TREE = SharedCache("unit_tree", Department, _tree)
OWNERS = SharedCache("function_owners", FunctionOwner, _owners)


def units_under(session, root: int) -> list[int]:
    """`root` and every unit below it."""
    children = TREE.get(session).children
    found: list[int] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        pk = todo.pop()
        if pk not in seen:
            seen.add(pk)
            found.append(pk)
            todo.extend(children.get(pk, ()))
    return found


def units_above(session, unit_id: int | None) -> list[int]:
    """The unit and every unit above it (a section of a division is in the division)."""
    parents = TREE.get(session).parent
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit_id = parents.get(unit_id)
    return chain


def functions_run_by(session, unit_id: int | None) -> frozenset[str]:
    """The function keys run by `unit_id` or a unit above it."""
    owners = OWNERS.get(session)
    out: set[str] = set()
    for unit in units_above(session, unit_id):
        out |= owners.get(unit, frozenset())
    return frozenset(out)

"""How an entity's status moves (docs/domain.md's `A → B → C` lines), declared once.

A `Workflow` is attached to an entity with `register(..., workflow=Workflow(...))`.
Each `Transition` names the states it leaves, the state it reaches, the roles allowed
to fire it by default, the fields its form asks for and which of them must be filled,
and whether a record in its source states is waiting for it (`todo`).
Permissions are FAB permissions `wf_<transition>` on the entity, so an admin can give a
transition to another role without code; `flask sync-roles` grants the defaults.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

#: What a transition does with its comment.
NO_COMMENT, OPTIONAL_COMMENT, REQUIRED_COMMENT = "none", "optional", "required"


@dataclass(frozen=True)
class Transition:
    name: str                                   # stable code; its permission is wf_<name>
    label: Any                                  # button text (lazy gettext)
    source: Sequence[str]                       # states it may leave
    target: Optional[str]                       # state it reaches; None: an action on the record
                                                # (废止, 解密 …) that leaves it in its state
    roles: Sequence[str] = ()                   # roles allowed by default (Admin always)
    fields: Sequence[str] = ()                  # record fields its form asks for
    requires: Sequence[str] = ()                # fields that must be filled once it is fired
    comment: str = OPTIONAL_COMMENT
    when: Mapping[str, Any] = field(default_factory=dict)   # only for records with these values
    stamp: Mapping[str, Callable[[], Any]] = field(default_factory=dict)  # field: value() if empty
    effect: Optional[Callable[[Any, Any], None]] = None     # (record, session): chains
    style: str = "primary"                      # button colour: primary, success, warning, danger
    # What the record waits for (the dashboard's "My tasks"). False: the button is offered,
    # but nothing waits for it — housekeeping once the work is done (archive, rate, close
    # the file) or a way out beside the regular step (return, refuse, cancel, withdraw, void,
    # escalate, ask for an extension).
    todo: bool = True
    # record -> why the current user may not take this step on it (beside his role), or None:
    # the button is not offered and the step is refused (a co-handling unit does not answer).
    guard: Optional[Callable[[Any], Optional[str]]] = None
    # The guard as a list filter: () -> ((column, filter arg_name, value), SQL condition) of the
    # records the current user passes it on, or None when it does not limit him. "My tasks"
    # counts, lists and links to those only (a co-handling unit waits for no lead unit's step).
    guard_rows: Optional[Callable[[], Optional[tuple[tuple[str, str, Any], Any]]]] = None
    # Only the units that run this function of the office (a menu group key, e.g. "F06_Supervision":
    # the supervision office strikes items off), whatever the roles say; the Admin always. A user of
    # another unit sees no button, waits for nothing, is not told it is his turn, and is answered 403.
    owners_only: Optional[str] = None

    @property
    def permission(self) -> str:
        return f"wf_{self.name}"

    def applies_to(self, record: Any) -> bool:
        return all(getattr(record, k, None) == v for k, v in self.when.items())

    def refusal(self, record: Any = None) -> Optional[str]:
        """Why the current user may not fire it beyond his roles, or None: `owners_only` (his unit
        does not run the function; whatever the record) and, given a record, its `guard`."""
        if self.owners_only is not None:
            from app.registry.ownership import owner_only

            reason = owner_only(self.owners_only, self.label)
            if reason:
                return reason
        if record is not None and self.guard is not None:
            return self.guard(record)
        return None

    @property
    def inputs(self) -> list[str]:
        """Fields the transition's form shows: its fields, then required ones not listed."""
        return list(self.fields) + [f for f in self.requires if f not in self.fields]


@dataclass
class Workflow:
    transitions: Sequence[Transition]
    initial: Any = None                         # a state, or record -> state; None: the column default
    field: str = "status"
    finished: Sequence[str] = ()                # states in which deadlines stop running

    def __post_init__(self):
        names = [t.name for t in self.transitions]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"transition names must be unique in a workflow: {sorted(duplicates)}")

    def get(self, name: str) -> Optional[Transition]:
        return next((t for t in self.transitions if t.name == name), None)

    @property
    def permissions(self) -> list[str]:
        return [t.permission for t in self.transitions]

    def initial_state(self, record: Any) -> Optional[str]:
        return self.initial(record) if callable(self.initial) else self.initial

    def states(self) -> list[str]:
        seen: list[str] = []
        for t in self.transitions:
            for state in (*t.source, t.target):
                if state is not None and state not in seen:
                    seen.append(state)
        return seen

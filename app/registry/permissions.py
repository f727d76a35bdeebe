"""The FAB permissions every entity's screens and API share (one permission view, the
entity's name). Core: the declaration (`Entity.permissions`), the builder and the ledgers
read them; none of them owns them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

ENTITY_PERMISSIONS = ["can_read", "can_add", "can_edit", "can_delete", "can_export", "can_purge", "can_import"]


@dataclass(frozen=True)
class EntityRight:
    """A right on an entity with a workflow that is not a step of it, granted per role in the
    console's workflow matrix beside the steps (app/console/workflow.py): it has a step's
    `name`, `permission`, `label` and default `roles` (none but Admin's)."""

    name: str
    permission: str
    label: Any
    roles: tuple[str, ...] = ()


#: Importing records in the state each row states rather than at the workflow's beginning
#: (app/importer/historical.py): last year's ledger as it stands. Admin only by default
#: (no role rule of app/roles.py holds the act `import_history`); audited on every import.
IMPORT_HISTORY = EntityRight("import_history", "can_import_history",
                             _l("Import records in their stated state (historical records)"))

#: The rights every entity with a workflow has besides its steps.
WORKFLOW_RIGHTS = (IMPORT_HISTORY,)


def granted_per_role(entity) -> list:
    """What the console's matrix lists for an entity with a workflow: its steps (each a
    `Transition`, permission `wf_<name>`), then its `WORKFLOW_RIGHTS`."""
    return [*entity.workflow.transitions, *WORKFLOW_RIGHTS]

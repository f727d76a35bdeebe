"""The FAB permissions every entity's screens and API share (one permission view, the
entity's name). Core: the declaration (`Entity.permissions`), the builder and the ledgers
read them; none of them owns them."""
from __future__ import annotations

ENTITY_PERMISSIONS = ["can_read", "can_add", "can_edit", "can_delete", "can_export", "can_purge", "can_import"]

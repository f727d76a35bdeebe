"""Named ledger reports (台账, docs/domain.md §10).

Declare a ledger with `register_ledger(...)` at the end of the domain's views/<domain>.py
(app/ledgers/spec.py says what a declaration holds, app/ledgers/summary.py what a summary
sheet counts). Importing this package also puts the "Ledger reports" page in the menu.
"""
from app.ledgers import page  # noqa: F401  (registers the ledgers page)
from app.ledgers.spec import LEDGERS, SERIAL, Computed, Ledger, Param, joined, ledgers_of, parent, register_ledger
from app.ledgers.summary import (
    CO,
    LEAD,
    ByUnit,
    Count,
    Rate,
    Sum,
    code_counts,
    in_role,
    lookup_rows,
    satisfaction_rate,
    share,
)

__all__ = ["LEDGERS", "SERIAL", "Computed", "Ledger", "Param", "joined", "ledgers_of", "parent", "register_ledger",
           "CO", "LEAD", "ByUnit", "Count", "Rate", "Sum", "code_counts", "in_role", "lookup_rows", "satisfaction_rate",
           "share"]

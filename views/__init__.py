"""Per-domain entity declarations. Importing this package registers every entity.

The order of registration inside a menu group is the order of its menu entries.
"""
from views import (  # noqa: F401
    disputes,
    districts,
    documents,
    duty,
    gazette,
    hotline,
    info,
    it,
    leaders,
    meetings,
    org,
    party,
    people,
    proposals,
    services,
    supervision,
    system,
)

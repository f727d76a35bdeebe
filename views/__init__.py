"""Per-domain entity declarations. Importing this package registers every entity.

The order of registration inside a menu group is the order of its menu entries.
"""
from views import documents, gazette, leaders, meetings, org, supervision, system  # noqa: F401

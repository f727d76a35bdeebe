"""Configuration tables on the work panel, Admin only (the console comes later)."""
from app.registry import register
from models.base import _l
from models.lookups import Lookup

register(
    Lookup, group="System", title=_l("Lookups"), item=_l("Lookup code"), icon="fa-list", admin_only=True,
    list=["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"],
    search=["category", "code", "label_zh", "label_en", "active"],
    sections=[(_l("Code"), ["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"])],
    base_order=("category", "asc"),
)

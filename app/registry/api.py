"""The base REST API class of every registered entity."""
from __future__ import annotations

from flask_appbuilder import ModelRestApi

from app.registry.views import ENTITY_PERMISSIONS

API_PERMISSIONS = {
    "get_list": "read", "get": "read", "info": "read",
    "post": "add", "put": "edit", "delete": "delete",
}


class EntityApi(ModelRestApi):
    """CRUD over /api/v1/<entity>/ with OpenAPI docs; same permissions as the screens."""

    entity = None
    method_permission_name = API_PERMISSIONS
    base_permissions = ENTITY_PERMISSIONS
    allow_browser_login = True

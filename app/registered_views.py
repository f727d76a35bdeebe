"""The registered screen of an entity, for the packages that link to it or run its list's
query (the dashboard's figures, the global search) without importing app/screens."""
from __future__ import annotations

from typing import Optional

from flask import current_app
from flask_appbuilder import ModelView


def view_of(entity) -> Optional[ModelView]:
    """The registered screen class instance of `entity` (it holds the list's filters and
    scope): the builder's `EntityView` of it, a FAB ModelView carrying its entity."""
    for view in current_app.appbuilder.baseviews:
        if isinstance(view, ModelView) and getattr(view, "entity", None) is entity:
            return view
    return None

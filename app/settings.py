"""`setting(name)`: a run-time setting's value — the admin's (console) or the configured default.

The stored values are read once per request (per application context) on a connection of
their own, so that reading them never touches the caller's transaction — and a database
whose `setting` table is not there yet simply runs on the configured defaults. A save of a
setting drops the cached values, so the same request already sees the new one.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.caches import forget_when_changed
from models.settings import SETTINGS, Setting

_CACHE = "_office_settings"
_CONFIG = object()


def stored_values() -> dict[str, str]:
    """{key: value} of the settings an admin has set (empty values left out)."""
    if not has_app_context():
        return {}
    cached = g.get(_CACHE)
    if cached is None:
        cached = {}
        from app.extensions import db

        try:
            with db.engine.connect() as conn:
                rows = conn.execute(select(Setting.key, Setting.value).where(Setting.value.is_not(None)))
                cached = {key: value for key, value in rows if str(value).strip()}
        except SQLAlchemyError:  # no `setting` table yet: the defaults apply
            cached = {}
        setattr(g, _CACHE, cached)
    return cached


def setting(name: str, default: Any = _CONFIG) -> Any:
    """The value of setting `name`: the admin's, if set and valid; else `default`, which is
    the app configuration of the same name unless given."""
    raw = stored_values().get(name)
    spec = SETTINGS.get(name)
    if raw is not None:
        try:
            return spec.parse(raw) if spec is not None else raw
        except ValueError:  # saved through the console it is valid; a hand edit may not be
            pass
    if default is _CONFIG:
        return current_app.config[name]
    return default


def forget_settings() -> None:
    if has_app_context():
        g.pop(_CACHE, None)


forget_when_changed(Setting, forget_settings)


def install(app) -> None:
    """Templates read settings too (the upload limit shown beside the upload button)."""
    app.jinja_env.globals["setting"] = setting

"""Stamps every business record with who changed it and bumps its version.

Runs on every flush, whatever path wrote the record (screen, API, import, CLI), so no
view has to remember it.
"""
from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from models.base import BusinessRecord, now_cn

SYSTEM_USER = "system"


def current_username() -> str:
    if has_request_context():
        try:
            if current_user and current_user.is_authenticated:
                return current_user.username
        except Exception:  # no login manager on this app
            pass
    return SYSTEM_USER


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _flush_context, _instances) -> None:
    who = None
    for obj in session.new:
        if isinstance(obj, BusinessRecord):
            who = who or current_username()
            obj.created_by = obj.created_by or who
            obj.updated_by = obj.updated_by or who
    for obj in session.dirty:
        if isinstance(obj, BusinessRecord) and session.is_modified(obj, include_collections=False):
            who = who or current_username()
            obj.updated_by = who
            obj.updated_at = now_cn()
            obj.row_version = (obj.row_version or 0) + 1

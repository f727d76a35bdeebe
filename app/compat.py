"""Fixes for the pinned framework versions, each with the reason it is needed.

Imported once by `create_app()`; each patch is small and checks what it patches.
"""
from __future__ import annotations

from flask_appbuilder import fields as fab_fields


def _blank_label() -> None:
    """FAB's relation drop-downs have an empty blank option; WTForms 3.3 renders an
    empty label as the option's value, so users saw "__None". Show a dash instead."""

    def _get(self):
        return self.__dict__.get("_blank_text") or "—"

    def _set(self, value):
        self.__dict__["_blank_text"] = value

    fab_fields.QuerySelectField.blank_text = property(_get, _set)


def apply() -> None:
    _blank_label()

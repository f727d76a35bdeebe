"""Fixes for the pinned framework versions, each with the reason it is needed.

Imported once by `create_app()`; each patch is small and checks what it patches.
"""
from __future__ import annotations

import re
import sys

from flask import request
from flask_appbuilder import fields as fab_fields
from flask_appbuilder import urltools


def _blank_label() -> None:
    """FAB's relation drop-downs have an empty blank option; WTForms 3.3 renders an
    empty label as the option's value, so users saw "__None". Show a dash instead."""

    def _get(self):
        return self.__dict__.get("_blank_text") or "—"

    def _set(self, value):
        self.__dict__["_blank_text"] = value

    fab_fields.QuerySelectField.blank_text = property(_get, _set)


def _numbers_in_url(prefix: str) -> dict:
    """{view name: number} of the `<prefix><view>=<n>` arguments that are whole numbers:
    FAB's int() of `page_X=abc` was a 500; a non-number is ignored (the first page)."""
    found = {}
    for arg in request.args:
        match = re.fullmatch(re.escape(prefix) + "(.*)", arg)
        if match:
            try:
                found[match.group(1)] = int(request.args.get(arg))
            except ValueError:
                continue
    return found


def get_page_args() -> dict:
    return _numbers_in_url("page_")


def get_page_size_args() -> dict:
    return _numbers_in_url("psize_")


def _lenient_url_numbers() -> None:
    """FAB's page and page-size readers, replaced wherever a module imported them."""
    originals = {"get_page_args": urltools.get_page_args, "get_page_size_args": urltools.get_page_size_args}
    replacements = {"get_page_args": get_page_args, "get_page_size_args": get_page_size_args}
    for module in list(sys.modules.values()):
        for name, original in originals.items():
            try:
                imported = getattr(module, name, None)
            except Exception:        # a module whose attribute access does more than look up
                continue
            if imported is original:
                setattr(module, name, replacements[name])


def apply() -> None:
    _blank_label()
    _lenient_url_numbers()

"""The sidebar of every page, worked out once per set of rights and language.

FAB's menu template asks the user's right to each of ~80 entries and builds each entry's
URL, on every page: 2–3 ms of the Admin's edit form (~22 ms CPU). What the sidebar shows
depends only on the user's rights, the language and where the app is mounted, so each such
combination is worked out once per process; a role's rights changed anywhere make another
set (app/security.py `RIGHTS` is reloaded at the next request), so the change shows at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import get_locale

from app.i18n import template_gettext
from app.menu import BY_KEY

#: Combinations kept per process before the oldest are dropped (roles × languages is far less).
KEPT = 256


@dataclass(frozen=True)
class Section:
    """A function's group of the sidebar: its entries as (label, URL, URL folder)."""

    label: str
    icon: str
    number: int | None              # the function's number (1–15); None for Reports and System
    entries: tuple[tuple[str, str, str], ...]


def side_menu() -> tuple[Section, ...]:
    """The signed-in user's sidebar (nothing for a visitor)."""
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    sm = current_app.appbuilder.sm
    key = (sm.rights_of(user), str(get_locale()), request.script_root)
    kept = current_app.extensions.setdefault("side_menus", {})
    sections = kept.get(key)
    if sections is None:
        if len(kept) >= KEPT:
            kept.clear()
        sections = kept[key] = _sections(sm)
    return sections


def _sections(sm) -> tuple[Section, ...]:
    out = []
    for item1 in current_app.appbuilder.menu.get_list():
        if not item1.childs or not sm.has_access("menu_access", item1.name):
            continue
        entries = []
        for item2 in item1.childs:
            if item2 and item2.name != "-" and sm.has_access("menu_access", item2.name):
                url = item2.get_url()
                entries.append((template_gettext(item2.label), url, _folder(url)))
        if not entries:             # a function whose every entry the user lacks: no empty heading
            continue
        group = BY_KEY.get(item1.name)
        out.append(Section(template_gettext(item1.label), item1.icon,
                           group.number if group is not None and group.number < 99 else None, tuple(entries)))
    return tuple(out)


def _folder(url: str) -> str:
    """The folder a page of the entry lies in: /hotlinecaseview/ for /hotlinecaseview/list/
    (its record pages are "here" too); a one-level URL (/ledgers/) is its own folder — its
    parent, /, would mark the entry on every page."""
    path = url.split("?", 1)[0]
    return path.rsplit("/", 2)[0] + "/" if path.count("/") > 2 else path

"""What a user can be told, in both languages; each kind he may switch off in the app or in
the e-mail digest (models/notifications.py `NotificationChoice`)."""
from __future__ import annotations

import json

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

DUE_SOON, OVERDUE, URGED, EXTENSION, WEEKLY = "DUE_SOON", "OVERDUE", "URGED", "EXTENSION", "WEEKLY"
WAITING, DIGEST = "WAITING", "DIGEST"

#: Each kind and how the choices page names it.
KINDS = {
    WAITING: _l("A record waits for my step"),
    DUE_SOON: _l("A record of my unit falls due soon"),
    OVERDUE: _l("A record of my unit is overdue"),
    URGED: _l("My unit is urged (催办)"),
    EXTENSION: _l("An extension my unit asked for is decided"),
    WEEKLY: _l("Weekly overdue summary of my unit (managers)"),
    DIGEST: _l("Daily digest of what waits for me"),
}

#: Kinds told in the bell only: the daily digest entry stands for the e-mail digest, which
#: lists what it counts, never the entry itself.
APP_ONLY = frozenset({DIGEST})


def _due_soon(p: dict) -> str:
    return gettext("Due on %(due)s (%(days)d working days left): %(title)s", due=p.get("due"),
                   days=p.get("days", 0), title=p.get("title"))


def _overdue(p: dict) -> str:
    return gettext("Overdue since %(due)s: %(title)s", due=p.get("due"), title=p.get("title"))


def _urged(p: dict) -> str:
    from models.lookups import lookup_label

    if p.get("entity") == "Document":       # a 催办 handling step of a document (app/reminders/feeds.py)
        if p.get("opinion"):
            return gettext("Urged (催办) by the general office: %(title)s — %(opinion)s", title=p.get("title"),
                           opinion=p.get("opinion"))
        return gettext("Urged (催办) by the general office: %(title)s", title=p.get("title"))
    method = lookup_label("sup_urge_method", p.get("method")) or p.get("method") or ""
    return gettext("Urged by the supervision office (%(method)s): %(title)s", method=method, title=p.get("title"))


def _extension(p: dict) -> str:
    if p.get("approved"):
        return gettext("Extension approved, now due on %(due)s: %(title)s", due=p.get("due"), title=p.get("title"))
    return gettext("Extension refused, still due on %(due)s: %(title)s", due=p.get("due"), title=p.get("title"))


def _weekly(p: dict) -> str:
    parts = "; ".join(f"{title} {count}" for title, count in p.get("counts", []))
    return gettext("%(unit)s has %(total)d overdue records: %(parts)s", unit=p.get("unit"),
                   total=p.get("total", 0), parts=parts)


def _waiting(p: dict) -> str:
    from app.registry.spec import REGISTRY
    from app.workflow.engine import state_label

    entity = next((e for e in REGISTRY.values() if e.name == p.get("entity")), None)
    state = state_label(entity, p.get("state")) if entity is not None else p.get("state")
    return gettext("Waiting for you (%(state)s): %(title)s", state=state, title=p.get("title"))


def _digest(p: dict) -> str:
    """The day's entry: what of his is unread, counted by kind (app/reminders/run.py `digest_entries`)."""
    counts = p.get("counts") or {}
    parts = []
    if counts.get(WAITING):
        parts.append(ngettext("%(num)d record waits for your step", "%(num)d records wait for your step",
                              counts[WAITING]))
    if counts.get(DUE_SOON):
        parts.append(ngettext("%(num)d falls due soon", "%(num)d fall due soon", counts[DUE_SOON]))
    if counts.get(OVERDUE):
        parts.append(gettext("%(num)d overdue", num=counts[OVERDUE]))
    if counts.get(URGED):
        parts.append(gettext("%(num)d urged (催办)", num=counts[URGED]))
    if counts.get(EXTENSION):
        parts.append(ngettext("%(num)d extension decided", "%(num)d extensions decided", counts[EXTENSION]))
    if counts.get(WEEKLY):
        parts.append(ngettext("%(num)d weekly overdue summary", "%(num)d weekly overdue summaries", counts[WEEKLY]))
    if not parts:
        parts.append(ngettext("%(num)d unread notification", "%(num)d unread notifications", p.get("total", 0)))
    return gettext("Today: %(parts)s", parts=gettext(", ").join(parts))


WORDS = {WAITING: _waiting, DUE_SOON: _due_soon, OVERDUE: _overdue, URGED: _urged, EXTENSION: _extension,
         WEEKLY: _weekly, DIGEST: _digest}


def text_of(kind: str, detail: str | None) -> str:
    """A notification in the reader's language."""
    try:
        params = json.loads(detail or "{}")
    except ValueError:
        params = {}
    words = WORDS.get(kind)
    return words(params) if words is not None else kind

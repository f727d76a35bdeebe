"""Who may use the configuration console: one FAB right, checked on every console URL.

The console has no login of its own: it reads FAB's (flask_login's `current_user`) and
asks FAB's security manager for the right `can_access` on `Console` — Admin holds it, an
admin grants it to another role in FAB's role screen. Kept free of flask-admin imports:
`app.roles` reads the right from here.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, redirect, request
from flask_login import current_user

#: (permission, pseudo view) of the console right; see app.roles.SPECIAL_RIGHTS.
CONSOLE = ("can_access", "Console")
#: Where the console lives; every URL under it is gated.
CONSOLE_URL = "/console"


def may_use_console() -> bool:
    if not getattr(current_user, "is_authenticated", False):
        return False
    return current_app.appbuilder.sm.has_access(*CONSOLE)


def refuse():
    """Anonymous: to the login page (and back here after it); logged in without the right: 403."""
    if not getattr(current_user, "is_authenticated", False):
        login = current_app.appbuilder.get_url_for_login
        return redirect(f"{login}?next={quote(request.full_path.rstrip('?'))}")
    abort(403)


def gate():
    """`before_request` of the app: every URL under /console (views, ajax, export, static
    assets alike) needs the console right — whatever a view forgets, this does not."""
    path = request.path
    if (path == CONSOLE_URL or path.startswith(CONSOLE_URL + "/")) and not may_use_console():
        return refuse()
    return None

"""Pages every signed-in user has, whatever his roles — the search, his saved views, downloads
and notifications, the calendar: what each shows is his own or is decided by the lists it
reads. A visitor is sent to the login page; a script asking for JSON is answered 401."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, jsonify, redirect
from flask_babel import gettext


def _is_signed_in() -> bool:
    user = getattr(g, "user", None)
    return user is not None and getattr(user, "is_authenticated", False)


def signed_in(method):
    """A page: a visitor goes to the login page."""
    @wraps(method)
    def page(*args, **kwargs):
        if not _is_signed_in():
            return redirect(current_app.appbuilder.get_url_for_login)
        return method(*args, **kwargs)
    return page


def signed_in_json(method):
    """A JSON answer of a page's script: a visitor gets 401 and why, in his language."""
    @wraps(method)
    def answer(*args, **kwargs):
        if not _is_signed_in():
            return jsonify({"messages": [gettext("Sign in again.")]}), 401
        return method(*args, **kwargs)
    return answer

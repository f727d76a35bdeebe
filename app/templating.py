"""What every page template may use: the product's name, the language, the menu; and the
templates' own indentation left out of the pages they draw."""
from __future__ import annotations

import re

from flask import redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from jinja2.ext import Extension

from app import saved_views
from app.i18n import select_locale
from app.reminders.screens import unread_count
from app.side_menu import side_menu

PRODUCT_NAME = _l("Xiamen Municipal Government General Office Admin Panel")
PRODUCT_SHORT = _l("General Office Admin Panel")


_INDENT = re.compile(r"^[ \t]+|(?<=\n)\n+", re.M)
#: A line that holds only a statement ({% if %}, {% set %}, {% endfor %}): its line break too.
_STATEMENT_LINE = re.compile(r"^(\{%[^\n]*?%\})[ \t]*\n", re.M)


class TemplateIndentation(Extension):
    """The indentation and blank lines of a template's own source, dropped when it is
    compiled, and the line break after a line holding only a statement (what Jinja's
    trim_blocks does for every statement): FAB's and our templates nest ten levels deep,
    and a list page carried ~6 KB of their spaces and empty lines. Only the template's
    text changes — never a value it writes — and no template holds a <pre> or <textarea>
    whose literal text it would change."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.endswith(".html"):
            return source
        return _STATEMENT_LINE.sub(r"\1", _INDENT.sub("", source))


def install(app) -> None:
    app.jinja_env.add_extension(TemplateIndentation)

    @app.route("/favicon.ico")
    def favicon():
        """Browsers ask for it whatever the page links; without it every page logs a 404."""
        return redirect(url_for("static", filename="img/emblem.svg"), 301)

    @app.context_processor
    def office_context():
        locale = select_locale()
        return {
            "product_name": PRODUCT_NAME,
            "product_short": PRODUCT_SHORT,
            "current_locale": locale,
            "html_lang": "en" if locale == "en" else "zh-CN",
            "side_menu": side_menu,
            "saved_views": saved_views.visible,
            "may_share_views": saved_views.may_share,
            "unread_notifications": unread_count,
            "office_address": gettext("West Building, Xiamen Municipal Government, 61 North Hubin Road, 361012"),
        }

"""What every page template may use: the product's name, the language, the menu."""
from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.i18n import select_locale
from app.menu import BY_KEY

PRODUCT_NAME = _l("Xiamen Municipal Government General Office Admin Panel")
PRODUCT_SHORT = _l("General Office Admin Panel")


def install(app) -> None:

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
            "menu_group": BY_KEY.get,
            "office_address": gettext("West Building, Xiamen Municipal Government, 61 North Hubin Road, 361012"),
        }

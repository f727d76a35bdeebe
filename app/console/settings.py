"""Run-time settings in the console: one form, every value checked before any is saved.

The values are stored in `setting` (models/settings.py) and read by `app.settings.setting`
once per request, so a saved value applies to the next request of every worker; the
flush hook of app.audit writes each change (old → new) to the audit log.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.console.base import ConsoleView, joined
from app.settings import setting
from models.base import bilingual
from models.settings import SETTING_TYPE, SETTINGS, Setting, SettingSpec


def stored_rows(session) -> dict[str, Setting]:
    return {row.key: row for row in session.execute(select(Setting)).scalars()}


def _row(session, rows: dict[str, Setting], spec: SettingSpec) -> Setting:
    """The setting's row, created with its labels on its first save."""
    row = rows.get(spec.key)
    if row is None:
        row = rows[spec.key] = Setting(key=spec.key)
        session.add(row)
    row.value_type = spec.kind
    row.label_zh, row.label_en = spec.label_zh, spec.label_en
    row.description_zh, row.description_en = spec.description_zh, spec.description_en
    return row


def check(form) -> tuple[dict[str, str | None], dict[str, str]]:
    """({key: value to store}, {key: problem}) of the submitted form."""
    values, problems = {}, {}
    for spec in SETTINGS.values():
        if spec.key not in form:
            continue
        try:
            values[spec.key] = spec.normalise(form.get(spec.key))
        except ValueError as error:
            problems[spec.key] = str(error)
    return values, problems


class SettingsView(ConsoleView):
    intro = _l("Leave a value empty to use the installation's default. A saved value applies to the next "
               "request and is written to the audit log.")

    @expose("/", methods=["GET", "POST"])
    def index(self):
        session = current_app.appbuilder.sm.session
        rows = stored_rows(session)
        problems: dict[str, str] = {}
        submitted = {}
        if request.method == "POST":
            values, problems = check(request.form)
            submitted = dict(request.form)
            if problems:
                flash(gettext("Nothing was saved: correct the values marked below."), "danger")
            else:
                changed = [spec for spec in SETTINGS.values() if spec.key in values
                           and (rows[spec.key].value if spec.key in rows else None) != values[spec.key]]
                for spec in changed:
                    _row(session, rows, spec).value = values[spec.key]
                session.commit()
                flash(gettext("Saved: %(names)s", names=joined(bilingual(s.label_zh, s.label_en) for s in changed))
                      if changed else gettext("Nothing changed."), "success" if changed else "info")
                return redirect(url_for(".index"))
        items = [self._item(spec, rows.get(spec.key), submitted, problems) for spec in SETTINGS.values()]
        return self.render("console/settings.html", items=items)

    @staticmethod
    def _item(spec: SettingSpec, row: Setting | None, submitted: dict, problems: dict) -> dict:
        stored = row.value if row is not None else None
        return {
            "key": spec.key,
            "label": bilingual(spec.label_zh, spec.label_en),
            "description": bilingual(spec.description_zh, spec.description_en),
            "type": SETTING_TYPE[spec.kind],
            "range": (spec.minimum, spec.maximum) if spec.minimum is not None or spec.maximum is not None else None,
            "value": submitted.get(spec.key, stored or ""),
            "default": current_app.config.get(spec.key),
            "effective": setting(spec.key),
            "problem": problems.get(spec.key),
            "number": spec.kind == "int",
        }

"""Date and date-time entry: one field kind per column type, chosen by the registry.

FAB gives a DateTime column its date-only picker (bootstrap-datepicker) and renders the
field from `field.data`: a typed `2026-12-04 09:30` was cut to the date on blur, and a
refused save emptied the box. Here a date-time is a text box that takes what people type
(`2026-12-04 09:30`, with or without seconds, `T` or `/`), keeps the typed text when a
save is refused, shows minutes, and has a localised calendar beside it
(app/static/js/dates.js) that keeps the time part when a day is picked.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DateField, DateTimeField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import html_params

from app.seams import FieldTextSeams

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y.%m.%d %H:%M"]


class PickerWidget:
    """A text box with a calendar button; `kind` is "date" or "datetime" (dates.js)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        placeholder = "2026-12-04 09:30" if self.kind == "datetime" else "2026-12-04"
        params = html_params(type="text", name=field.name, value=field._value(), placeholder=placeholder,
                             autocomplete="off", **{"class": f"form-control office-{self.kind}",
                                                    "data-picker": self.kind}, **kwargs)
        return Markup(
            '<div class="input-group office-picker">'
            f"<input {params}>"
            '<span class="input-group-addon office-picker-button" role="button" tabindex="-1">'
            '<i class="fa fa-calendar"></i></span></div>')


def _validators(required: bool) -> list:
    return [InputRequired()] if required else [Optional()]


class _Typed(FieldTextSeams):
    """What both kinds share: required or not, and the text shown — the typed text after a
    refused save, else the stored value in `shown` format."""

    shown = "%Y-%m-%d"

    def shown_text(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(self.shown) if self.data else ""

    def process_formdata(self, valuelist):
        # as typed, with one space between date and time ("2026-12-04  9:30")
        super().process_formdata([" ".join(" ".join(valuelist).split())] if valuelist else valuelist)


class OfficeDateField(_Typed, DateField):
    widget = PickerWidget("date")

    def __init__(self, label=None, required: bool = False, **kwargs):
        kwargs.setdefault("format", DATE_FORMATS)
        kwargs.setdefault("invalid_value_message", _l("Not a valid date: write it as 2026-12-04"))
        super().__init__(label, validators=_validators(required), **kwargs)


class OfficeDateTimeField(_Typed, DateTimeField):
    widget = PickerWidget("datetime")
    shown = "%Y-%m-%d %H:%M"

    def __init__(self, label=None, required: bool = False, **kwargs):
        kwargs.setdefault("format", DATETIME_FORMATS)
        kwargs.setdefault("invalid_value_message", _l("Not a valid date and time: write it as 2026-12-04 09:30"))
        super().__init__(label, validators=_validators(required), **kwargs)

"""Form fields the registry puts where FAB would put a plain text box."""
from __future__ import annotations

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from models.lookups import lookup_choices, offered_codes


class LookupSelectField(SelectField):
    """A drop-down of a lookup category, read when the form is built.

    Reading the lookup table per form (not per process) is what makes a code an admin
    adds appear at once, without a restart. An inactive code stays on the record that
    already has it but is not offered to new ones.
    """

    widget = Select2Widget()

    def __init__(self, label=None, category: str = "", required: bool = False, **kwargs):
        self.category = category
        self.required = required
        validators = [DataRequired()] if required else [Optional()]
        super().__init__(label, validators=validators, choices=self._choices_for, **kwargs)

    def _choices_for(self, form, field):
        current = self.data if isinstance(self.data, str) else None
        options = [SelectChoice(code, text) for code, text in lookup_choices(self.category, include_inactive=current)]
        if not self.required:
            options.insert(0, SelectChoice("", "—"))
        return options

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data == "":
            self.data = None

    def pre_validate(self, form):
        if self.data in (None, "") and not self.required:
            return
        current = self.data if isinstance(self.data, str) else None
        # the codes alone, not the labelled choices; ValidationError: WTForms 3 lets a plain ValueError through (a 500)
        if self.data not in offered_codes(self.category, include_inactive=current):
            raise ValidationError(_l("Not a valid choice"))

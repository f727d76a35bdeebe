"""Sections that apply only for some values (`Section(..., when=...)`): declared once, sent
to the add and edit forms, and well-formed for every entity of the registry."""
from __future__ import annotations

import json
import re

import pytest

import views  # noqa: F401  (registers every entity)
from app.registry.introspect import lookup_of
from app.registry.spec import REGISTRY
from models.lookups import CATEGORIES

CONDITIONAL = [e for e in REGISTRY.values() if e.field_conditions]


def test_some_entity_declares_conditional_sections():
    assert any(e.name == "Document" for e in CONDITIONAL)


@pytest.mark.parametrize("entity", CONDITIONAL, ids=lambda e: e.name)
def test_every_condition_names_a_form_field_and_real_codes(entity):
    for when in entity.field_conditions.values():
        for name, values in when.items():
            assert name in entity.form_fields, f"{entity.name}: a section depends on {name}, not on the form"
            category = lookup_of(entity.model, name)
            if category:
                codes = {code for code, _zh, _en in CATEGORIES[category].codes}
                assert set(values) <= codes, f"{entity.name}.{name}: unknown codes {set(values) - codes}"


def _conditions(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="office-form-conditions"[^>]*>(.*?)</script>', page, re.S)
    assert found, "the form carries no section conditions"
    return json.loads(found.group(1))


def test_the_document_form_asks_incoming_questions_only_for_incoming_documents(app, as_role):
    clerk = as_role("clerk", "en")
    for url in ("/documentview/add",):
        conditions = _conditions(clerk.get(url).get_data(as_text=True))
        assert conditions["received_at"] == {"direction": ["INCOMING"]}
        assert conditions["signer"] == {"direction": ["OUTGOING", "INTERNAL"]}
        assert "title" not in conditions and "direction" not in conditions


def test_a_box_whose_column_defaults_to_true_starts_ticked(app, as_role):
    """A new lookup code or time limit was saved inactive unless the admin ticked 'Active'."""
    page = as_role("admin", "en").get("/lookupview/add").get_data(as_text=True)
    box = re.search(r'<input[^>]*\bid="active"[^>]*>', page)
    assert box and "checked" in box.group(0)
    page = as_role("clerk", "en").get("/documentview/add").get_data(as_text=True)
    box = re.search(r'<input[^>]*\bid="is_normative"[^>]*>', page)
    assert box and "checked" not in box.group(0)

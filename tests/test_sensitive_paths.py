"""Sensitive data by every other path, generated over every entity with a sensitive column:
a save's answer, API filters and sorts, list filters and sorts on the screens."""
from __future__ import annotations

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.masking import sensitive_columns
from app.registry.spec import REGISTRY
from tests.factories import make
from tests.helpers import api_client, version_of

SENSITIVE = sorted((e for e in REGISTRY.values() if sensitive_columns(e.model) and not e.admin_only),
                   key=lambda e: e.name)


def _record(app, entity):
    with app.app_context():
        record = make(db.session, entity.model, created_by="clerk")
        db.session.commit()
        return record.id, {name: getattr(record, name) for name in sensitive_columns(entity.model)}


def test_some_entity_holds_sensitive_data():
    assert any(e.name == "Personnel" for e in SENSITIVE)


@pytest.mark.parametrize("entity", SENSITIVE, ids=lambda e: e.name)
def test_a_save_does_not_echo_sensitive_values_to_a_clerk(app, entity):
    pk, values = _record(app, entity)
    client, headers = api_client(app, "clerk", "en")
    answer = client.put(f"/api/v1/{entity.slug}/{pk}", json={"row_version": version_of(app, entity.model, pk)},
                        headers=headers)
    body = answer.get_data(as_text=True)
    for name, value in values.items():
        if value is not None and len(str(value)) > 4:
            assert str(value) not in body, f"{entity.name}.{name} echoed in clear"


@pytest.mark.parametrize("entity", SENSITIVE, ids=lambda e: e.name)
def test_a_clerk_cannot_filter_or_sort_by_a_sensitive_column(app, as_role, entity):
    _record(app, entity)
    client, headers = api_client(app, "clerk", "en")
    for name in sensitive_columns(entity.model):
        filtered = client.get(f"/api/v1/{entity.slug}/", headers=headers,
                              query_string={"q": f"(filters:!((col:{name},opr:sw,value:'35')))"})
        assert filtered.status_code == 400, name
        ordered = client.get(f"/api/v1/{entity.slug}/", headers=headers,
                             query_string={"q": f"(order_column:{name},order_direction:asc)"})
        assert ordered.status_code == 400, name
    page = as_role("clerk", "en").get(f"/{entity.name.lower()}view/list/").get_data(as_text=True)
    assert 'class="filter"' in page                       # the list offers filters, just not these
    for name in sensitive_columns(entity.model):
        assert f'name="{name}" class="filter"' not in page, name
        assert f"_oc_{entity.name}View={name}" not in page, name


def test_the_admin_may_still_filter_by_them_through_the_api(app):
    entity = next(e for e in SENSITIVE if e.name == "Personnel")
    client, headers = api_client(app, "admin", "en")
    answer = client.get(f"/api/v1/{entity.slug}/", headers=headers,
                        query_string={"q": "(filters:!((col:id_card_no,opr:sw,value:'35')))"})
    assert answer.status_code == 200

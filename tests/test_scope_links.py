"""A link never reaches out of scope, generated over every relation of the registry: a Clerk
of one unit cannot point a record at another unit's record through the API (the child
that pulled a foreign parent into his scope), and the forms do not offer it."""
from __future__ import annotations

import re

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.scope import scoped_links
from app.registry.spec import REGISTRY
from tests.factories import make
from tests.helpers import api_client
from tests.test_scope import _foreign_record

LINKS = sorted(((entity, rel.key, next(iter(rel.local_columns)).key, target)
                for entity in REGISTRY.values() if entity.is_business and not entity.admin_only
                and not entity.read_only
                for rel, target in scoped_links(entity, REGISTRY)),
               key=lambda link: (link[0].name, link[1]))


def _ids(link) -> str:
    return f"{link[0].name}.{link[1]}"


@pytest.mark.parametrize("link", LINKS, ids=_ids)
def test_a_clerk_cannot_link_a_record_to_another_units_record(app, link):
    entity, name, column, target = link
    foreign, _version = _foreign_record(app, target)
    with app.app_context():
        record = make(db.session, entity.model, created_by="clerk")
        db.session.commit()
        pk, before, version = record.id, getattr(record, column), record.row_version
    client, headers = api_client(app, "clerk", "en")
    answer = client.put(f"/api/v1/{entity.slug}/{pk}", json={column: foreign, "row_version": version}, headers=headers)
    assert answer.status_code in (403, 404, 422), answer.get_data(as_text=True)[:300]
    said = answer.get_data(as_text=True)
    if answer.status_code == 422 and "Unknown field" not in said:          # API-read-only link
        if name in entity.step_only:           # only its action writes it (checked there: test_document_actions)
            assert "Written only by the action" in said, said
        else:
            assert "no such record among those you may use" in said, said
    with app.app_context():
        saved = db.session.get(entity.model, pk)
        assert (getattr(saved, column), saved.row_version) == (before, version)


@pytest.mark.parametrize("link", [link for link in LINKS if link[0].name != "Department"], ids=_ids)
def test_the_add_form_does_not_offer_another_units_record(app, as_role, link):
    entity, name, _column, target = link
    foreign, _version = _foreign_record(app, target)
    page = as_role("clerk", "en").get(f"/{entity.name.lower()}view/add")
    if page.status_code != 200:
        return                                           # no add form for a Clerk: nothing offered
    html = page.get_data(as_text=True)
    select = re.search(rf'<select[^>]*\bid="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select is not None:
        assert f'value="{foreign}"' not in select.group(1)


def test_the_reported_attack_a_progress_child_pulls_no_item_into_scope(app):
    """POST /api/v1/supervision_assignment/ {"item_id": another unit's item, ...} answered 201
    and the item turned from 404 to 200."""
    from models.supervision import SupervisionItem
    from tests.conftest import TEST_UNIT_CODE

    item, _ = _foreign_record(app, REGISTRY[SupervisionItem])
    with app.app_context():
        from models.org import Department

        unit = db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one().id
    client, headers = api_client(app, "clerk", "zh")
    answer = client.post("/api/v1/supervision_assignment/", headers=headers,
                         json={"item_id": item, "department_id": unit, "role": "ZHUBAN"})
    assert answer.status_code == 422
    assert "item_id" in answer.get_data(as_text=True) or "rules" in answer.get_data(as_text=True)
    assert client.get(f"/api/v1/supervision_item/{item}", headers=headers).status_code == 404

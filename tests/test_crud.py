"""Every registered entity: list, show, add and edit work for an Admin."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

import views  # noqa: F401  (registers every entity)
from app.registry.introspect import kind_of
from app.registry.spec import REGISTRY
from tests.factories import form_data, make
from tests.pages import alerts

#: Logs (read_only) are written by the system, never through a form: tests/test_audit.py covers them.
ENTITIES = sorted((e for e in REGISTRY.values() if not e.read_only), key=lambda e: e.name)


def _url(entity, action: str, pk=None) -> str:
    base = f"/{entity.name.lower()}view/{action}"
    return f"{base}/{pk}" if pk is not None else (f"{base}/" if action == "list" else base)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_admin_lists_shows_adds_and_edits(app, as_role, db_session, entity):
    record = make(db_session, entity.model)
    db_session.commit()
    client = as_role("admin")

    listing = client.get(_url(entity, "list"))
    assert listing.status_code == 200
    assert client.get(_url(entity, "show", record.id)).status_code == 200
    assert client.get(_url(entity, "add")).status_code == 200
    assert client.get(_url(entity, "edit", record.id)).status_code == 200

    template = make(db_session, entity.model)  # only a source of valid values (its parents stay)
    data = form_data(entity, template)
    db_session.delete(template)
    db_session.commit()
    before = _count(db_session, entity.model)
    response = client.post(_url(entity, "add"), data=data)
    assert response.status_code == 302, alerts(response.data.decode())
    db_session.expire_all()
    assert _count(db_session, entity.model) == before + 1

    edited = form_data(entity, record)
    field = next((n for n in entity.form_fields if kind_of(entity.model, n) in ("string", "text")), None)
    if field:
        edited[field] = f"已修改{record.id}"
    response = client.post(_url(entity, "edit", record.id), data=edited)
    assert response.status_code == 302, alerts(response.data.decode())
    db_session.expire_all()
    saved = db_session.get(entity.model, record.id)
    if field:
        assert getattr(saved, field) == f"已修改{record.id}"
        if hasattr(saved, "row_version"):
            assert saved.row_version == 2

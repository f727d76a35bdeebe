"""Domain rules refuse a bad save, through the form and through the API, and write nothing."""
from __future__ import annotations

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import entity_for
from models.documents import Document
from tests.conftest import PASSWORD
from tests.factories import form_data, make
from tests.pages import alerts


def _valid_document_form(app):
    with app.app_context():
        doc = make(db.session, Document, title="规则测试签报")
        data = form_data(entity_for(Document), doc)
        db.session.delete(doc)
        db.session.commit()
    return data


def _count(app, title):
    with app.app_context():
        return db.session.query(Document).filter_by(title=title).count()


def test_form_refuses_upward_document_without_signer_and_keeps_the_input(app, as_role):
    data = _valid_document_form(app)
    data.update(title="没有签发人的上行文", writing_direction="SHANGXING", signer="")
    response = as_role("clerk", lang="zh").post("/documentview/add", data=data)
    assert response.status_code == 200
    page = response.data.decode()
    assert "上行文须标注签发人。" in alerts(page)
    assert "没有签发人的上行文" in page  # what the clerk typed is still in the form
    assert _count(app, "没有签发人的上行文") == 0


def test_form_message_follows_the_language(app, as_role):
    data = _valid_document_form(app)
    data.update(title="Upward without signer", writing_direction="SHANGXING", signer="")
    page = as_role("clerk", lang="en").post("/documentview/add", data=data).data.decode()
    assert "An upward document must show its signer." in alerts(page)


def test_edit_refused_changes_nothing(app, as_role):
    with app.app_context():
        doc = make(db.session, Document, title="原标题签报")
        db.session.commit()
        pk, version = doc.id, doc.row_version
    data = _valid_document_form(app)
    data.update(title="改后的标题", writing_direction="SHANGXING", signer="")
    response = as_role("clerk").post(f"/documentview/edit/{pk}", data=data)
    assert response.status_code == 200
    with app.app_context():
        saved = db.session.get(Document, pk)
        assert (saved.title, saved.writing_direction, saved.row_version) == ("原标题签报", "PINGXING", version)


def test_api_refuses_with_422_and_writes_nothing(app):
    client = app.test_client()
    token = client.post("/api/v1/security/login",
                        json={"username": "clerk", "password": PASSWORD, "provider": "db"}).json["access_token"]
    body = {"direction": "INTERNAL", "writing_direction": "SHANGXING", "doc_type": "HAN",
            "urgency": "PUTONG", "secrecy_level": "FEIMI", "title": "接口上行文无签发人"}
    response = client.post("/api/v1/document/", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, "接口上行文无签发人") == 0
    body["signer"] = "张市长"
    ok = client.post("/api/v1/document/", json=body, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 201, ok.json
    assert _count(app, "接口上行文无签发人") == 1

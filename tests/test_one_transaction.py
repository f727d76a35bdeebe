"""A save through the API writes everything or nothing: the reported case was a document
posted with an empty direction, answered 500 and saved all the same, without direction
or status."""
from __future__ import annotations

from app.extensions import db
from models.documents import Document
from models.workflow import StatusLog
from tests.helpers import api_client


def _count(app, title):
    with app.app_context():
        return db.session.query(Document).filter_by(title=title).count()


def test_a_refused_document_leaves_nothing_behind(app):
    client, headers = api_client(app, "clerk", "en")
    answer = client.post("/api/v1/document/", json={"title": "半截公文", "direction": ""}, headers=headers)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert "Document direction" in answer.get_data(as_text=True)
    assert _count(app, "半截公文") == 0


def test_a_duplicate_is_a_conflict_naming_the_field(app):
    client, headers = api_client(app, "admin", "en")
    body = {"plate_no": "闽D·T0001", "category": "JIYAO"}
    first = client.post("/api/v1/vehicle/", json=body, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)[:300]
    again = client.post("/api/v1/vehicle/", json=body, headers=headers)
    assert again.status_code == 409, again.get_data(as_text=True)[:300]
    assert "already used" in again.get_data(as_text=True)


def test_a_saved_document_and_its_first_status_line_come_together(app):
    client, headers = api_client(app, "clerk", "en")
    answer = client.post("/api/v1/document/", headers=headers,
                         json={"title": "完整公文", "direction": "INCOMING", "secrecy_level": "FEIMI",
                               "urgency": "PUTONG"})
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]
    pk = answer.get_json()["id"]
    with app.app_context():
        assert db.session.get(Document, pk).status
        assert db.session.query(StatusLog).filter_by(entity="Document", record_id=pk).count() == 1

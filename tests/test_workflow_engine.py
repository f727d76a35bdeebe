"""The workflow engine, shown on supervision items: buttons, refusals, status log, API."""
from __future__ import annotations

import datetime as dt

from app.extensions import db
from models.org import Department
from models.supervision import ProgressReport, SupervisionItem
from models.workflow import StatusLog
from tests.factories import make
from tests.helpers import api_client, version_of
from tests.test_ownership import owning


def _item(app, status="DRAFT", **values):
    with app.app_context():
        item = make(db.session, SupervisionItem, status=status, **values)
        db.session.commit()
        return item.id


def _state(app, pk):
    with app.app_context():
        return db.session.get(SupervisionItem, pk).status


def _log(app, pk):
    with app.app_context():
        return [(r.transition, r.from_state, r.to_state, r.actor, r.comment)
                for r in db.session.query(StatusLog).filter_by(entity="SupervisionItem", record_id=pk)
                .order_by(StatusLog.id)]


def test_record_page_shows_only_the_transitions_the_role_may_fire(app, as_role):
    pk = _item(app, "DRAFT")
    page = as_role("leader", "en").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert 'data-transition="approve"' in page and "Status history" in page
    page = as_role("clerk", "zh").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert 'data-transition="approve"' not in page and "状态记录" in page


def test_status_is_not_a_form_field(app, as_role):
    pk = _item(app, "DRAFT")
    page = as_role("clerk").get(f"/supervisionitemview/edit/{pk}").get_data(as_text=True)
    assert 'name="status"' not in page


def test_transition_with_required_fields_and_comment_is_logged(app, as_role):
    pk = _item(app, "SUBMITTED")
    with app.app_context():
        make(db.session, ProgressReport, item_id=pk, progress="已完成", percent=100, is_final=True)
        db.session.commit()
    with owning(app, "F06_Supervision"):        # the supervision office strikes items off (办结销号)
        client = as_role("manager", "en")
        refused = client.post(f"/supervisionitemview/transition/{pk}/close", data={"close_opinion": ""},
                              follow_redirects=True).get_data(as_text=True)
        assert "needs" in refused and _state(app, pk) == "SUBMITTED"
        client.post(f"/supervisionitemview/transition/{pk}/close",
                    data={"close_opinion": "已按期完成", "comment": "同意办结"})
    assert _state(app, pk) == "CLOSED"
    assert _log(app, pk)[-1] == ("close", "SUBMITTED", "CLOSED", "manager", "同意办结")
    with app.app_context():
        assert db.session.get(SupervisionItem, pk).closed_at is not None


def test_forbidden_role_and_wrong_state_change_nothing(app, as_role):
    pk = _item(app, "DRAFT")
    page = as_role("clerk", "en").get(f"/supervisionitemview/transition/{pk}/approve",
                                      follow_redirects=True).get_data(as_text=True)
    assert "Your role may not" in page
    page = as_role("manager", "zh").get(f"/supervisionitemview/transition/{pk}/close",
                                        follow_redirects=True).get_data(as_text=True)
    assert "不能" in page
    assert _state(app, pk) == "DRAFT" and _log(app, pk) == []


def test_api_fires_and_refuses(app):
    pk = _item(app, "APPROVED", due_date=None)
    client, headers = api_client(app, "clerk", "en")
    listed = client.get(f"/api/v1/supervision_item/{pk}/transitions", headers=headers).json
    assert [t["name"] for t in listed["transitions"]] == ["assign"]
    response = client.post(f"/api/v1/supervision_item/{pk}/transition/assign", json={}, headers=headers)
    assert response.status_code == 422 and _state(app, pk) == "APPROVED"
    with app.app_context():
        dept = make(db.session, Department).id
        db.session.commit()
    response = client.post(f"/api/v1/supervision_item/{pk}/transition/assign",
                           json={"due_date": "2026-12-31", "lead_department_id": dept}, headers=headers)
    assert response.status_code == 200, response.json
    assert _state(app, pk) == "ASSIGNED"
    with app.app_context():
        assert db.session.get(SupervisionItem, pk).due_date == dt.date(2026, 12, 31)
    assert client.post(f"/api/v1/supervision_item/{pk}/transition/close", json={},
                       headers=headers).status_code == 409
    assert client.post(f"/api/v1/supervision_item/{pk}/transition/redo", json={},
                       headers=headers).status_code in (403, 409)
    response = client.put(f"/api/v1/supervision_item/{pk}", json={"status": "CLOSED",
                                                                 "row_version": version_of(app, SupervisionItem, pk)},
                          headers=headers)
    assert _state(app, pk) == "ASSIGNED"


def test_new_record_starts_in_initial_state_and_logs_it(app, as_role):
    client, headers = api_client(app, "clerk")
    response = client.post("/api/v1/supervision_item/", json={"title": "测试新建督办", "status": "CLOSED"},
                           headers=headers)
    assert response.status_code in (201, 400, 422)
    if response.status_code == 201:
        pk = response.json["id"]
        assert _state(app, pk) == "DRAFT"
        assert _log(app, pk)[0][:3] == ("create", None, "DRAFT")

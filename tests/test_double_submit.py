"""One record per submitted form (issue 16, item 7): the add and edit forms carry a
one-time token, the API an Idempotency-Key; a second submission, one after the other or
at the same moment, makes nothing and leads to what the first one saved."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.screens.api import EntityApi
from app.screens.views import EntityView
from models.audit import AuditLog
from models.form_tokens import FormToken
from models.supervision import SupervisionItem
from tests.helpers import api_client, at_once, count, saved, valid_form
from tests.pages import alerts

ALREADY = {"en": "This form was already saved", "zh": "此表单已经保存过"}
ADD_URL = "/supervisionitemview/add"
API_URL = "/api/v1/supervision_item/"


def _token(page: str) -> str:
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="form_token"', page)
    assert match, "the form carries no one-time token"
    return match.group(1)


def _id_of(app, title: str) -> int:
    with app.app_context():
        return db.session.query(SupervisionItem.id).filter_by(title=title).scalar()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_add_form_submitted_twice_makes_one_record_and_leads_to_it(app, as_role, lang):
    title = f"双击提交-{lang}"
    client = as_role("clerk", lang)
    token = _token(client.get(ADD_URL).get_data(as_text=True))
    data = {**valid_form(app, SupervisionItem, title=title), "form_token": token}
    assert client.post(ADD_URL, data=data).status_code == 302
    again = client.post(ADD_URL, data=data)
    pk = _id_of(app, title)
    assert again.status_code == 302 and again.location.endswith(f"/supervisionitemview/show/{pk}")
    page = client.get(again.location).get_data(as_text=True)
    assert any(ALREADY[lang] in text for text in alerts(page))
    assert count(app, SupervisionItem, title=title) == 1


def test_each_rendering_of_the_form_is_a_new_submission(app, as_role):
    client = as_role("clerk", "en")
    first, second = (_token(client.get(ADD_URL).get_data(as_text=True)) for _ in range(2))
    assert first != second
    data = valid_form(app, SupervisionItem, title="两次填表")
    for token in (first, second):
        assert client.post(ADD_URL, data={**data, "form_token": token}).status_code == 302
    assert count(app, SupervisionItem, title="两次填表") == 2


def test_a_form_without_a_token_still_saves(app, as_role):
    """A form rendered before tokens existed (or a script posting with its CSRF token)."""
    client = as_role("clerk", "en")
    data = valid_form(app, SupervisionItem, title="无令牌表单")
    assert client.post(ADD_URL, data=data).status_code == 302
    assert count(app, SupervisionItem, title="无令牌表单") == 1


def test_a_refused_form_keeps_its_token_and_saves_once_corrected(app, as_role):
    client = as_role("clerk", "en")
    token = _token(client.get(ADD_URL).get_data(as_text=True))
    data = {**valid_form(app, SupervisionItem, title="先错后对"), "form_token": token}
    refused = client.post(ADD_URL, data={**data, "title": ""})
    assert refused.status_code == 200 and _token(refused.get_data(as_text=True)) == token
    assert client.post(ADD_URL, data=data).status_code == 302
    assert count(app, SupervisionItem, title="先错后对") == 1


def test_two_submissions_of_one_form_at_the_same_moment_make_one_record(app, as_role, monkeypatch):
    client = as_role("clerk", "en")
    token = _token(client.get(ADD_URL).get_data(as_text=True))
    data = {**valid_form(app, SupervisionItem, title="同时双击"), "form_token": token}
    other = as_role("clerk", "en")          # a second connection of the same user (another worker)
    with app.app_context():                 # SQLite may reuse the id of valid_form's deleted template
        seen = db.session.query(db.func.max(AuditLog.id)).scalar() or 0
    answers = at_once(monkeypatch, EntityView, "pre_add", [lambda: client.post(ADD_URL, data=data),
                                                    lambda: other.post(ADD_URL, data=data)])
    assert [a.status_code for a in answers] == [302, 302]
    pk = _id_of(app, "同时双击")
    assert count(app, SupervisionItem, title="同时双击") == 1
    assert any(a.location.endswith(f"/supervisionitemview/show/{pk}") for a in answers)
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(entity="SupervisionItem", record_id=pk, action="INSERT")\
            .filter(AuditLog.id > seen).count() == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_form_submitted_twice_saves_once_and_is_not_a_conflict(app, as_role, lang):
    with app.app_context():
        from tests.factories import make
        pk = make(db.session, SupervisionItem, title="编辑双击").id
        db.session.commit()
    client = as_role("clerk", lang)
    page = client.get(f"/supervisionitemview/edit/{pk}").get_data(as_text=True)
    from app.registry.spec import entity_for
    from tests.factories import form_data
    with app.app_context():
        data = form_data(entity_for(SupervisionItem), db.session.get(SupervisionItem, pk))
    data.update(title="编辑双击后", form_token=_token(page))
    assert client.post(f"/supervisionitemview/edit/{pk}", data=data).status_code == 302
    again = client.post(f"/supervisionitemview/edit/{pk}", data=data)
    assert again.status_code == 302 and again.location.endswith(f"/supervisionitemview/show/{pk}")
    assert any(ALREADY[lang] in text for text in alerts(client.get(again.location).get_data(as_text=True)))
    record = saved(app, SupervisionItem, pk)
    assert (record.title, record.row_version) == ("编辑双击后", 2)


def test_api_idempotency_key_makes_one_record(app):
    client, headers = api_client(app, "clerk", "en")
    body = {"title": "幂等接口", "priority": "YIBAN"}
    keyed = {**headers, "Idempotency-Key": "order-2026-0001"}
    first = client.post(API_URL, json=body, headers=keyed)
    second = client.post(API_URL, json=body, headers=keyed)
    assert first.status_code == 201, first.json
    assert second.status_code == 201 and second.json["id"] == first.json["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json["result"]["title"] == "幂等接口"
    assert count(app, SupervisionItem, title="幂等接口") == 1
    # the key is the client's own: another user's same key, or no key, is a new request
    other, other_headers = api_client(app, "admin", "en")
    assert other.post(API_URL, json=body, headers={**other_headers, "Idempotency-Key": "order-2026-0001"}
                      ).status_code == 201
    assert client.post(API_URL, json=body, headers=headers).status_code == 201
    assert count(app, SupervisionItem, title="幂等接口") == 3


def test_api_idempotency_key_at_the_same_moment_makes_one_record(app, monkeypatch):
    calls = []
    for _ in range(2):
        client, headers = api_client(app, "clerk", "en")
        keyed = {**headers, "Idempotency-Key": "same-moment-key"}
        calls.append(lambda c=client, h=keyed: c.post(API_URL, json={"title": "同时幂等", "priority": "YIBAN"},
                                                      headers=h))
    answers = at_once(monkeypatch, EntityApi, "pre_add", calls)
    assert [a.status_code for a in answers] == [201, 201], [a.get_json() for a in answers]
    assert answers[0].json["id"] == answers[1].json["id"] == _id_of(app, "同时幂等")
    assert count(app, SupervisionItem, title="同时幂等") == 1


def test_a_refused_api_post_does_not_spend_its_key(app):
    client, headers = api_client(app, "clerk", "en")
    keyed = {**headers, "Idempotency-Key": "retry-after-fix"}
    assert client.post(API_URL, json={"title": "补正后", "priority": "NO-SUCH"}, headers=keyed).status_code == 422
    assert client.post(API_URL, json={"title": "补正后", "priority": "YIBAN"}, headers=keyed).status_code == 201
    assert count(app, SupervisionItem, title="补正后") == 1


def test_an_overlong_idempotency_key_is_refused(app):
    client, headers = api_client(app, "clerk", "en")
    answer = client.post(API_URL, json={"title": "长键", "priority": "YIBAN"},
                         headers={**headers, "Idempotency-Key": "k" * 101})
    assert answer.status_code == 422 and "Idempotency-Key" in answer.json["message"]
    assert count(app, SupervisionItem, title="长键") == 0


def test_old_tokens_are_pruned(app):
    from app.screens import form_tokens
    from models.base import now_cn

    with app.app_context():
        db.session.add(FormToken(username="clerk", entity="SupervisionItem", token="old", record_id=1,
                                 created_at=now_cn() - form_tokens.TOKEN_LIFETIME * 2))
        db.session.commit()
        assert form_tokens.prune(db.session) >= 1
        db.session.commit()
        assert db.session.query(FormToken).filter_by(token="old").count() == 0

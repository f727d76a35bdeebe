"""Optimistic locking is atomic (issue 16, item 6): of two saves from the same version at the
same moment exactly one wins, the other is told what changed and writes nothing; a save
that does not say which version it edited is refused.

The race is forced, not hoped for: both requests wait at a barrier after they have read
the record and passed the version check, so both write from the same version; only the
database's `UPDATE … WHERE row_version = :read` can then tell them apart."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.registry.spec import entity_for
from app.screens.api import EntityApi
from app.screens.views import EntityView
from models.audit import AuditLog
from models.supervision import SupervisionItem
from tests.factories import form_data, make
from tests.helpers import api_client, at_once, saved
from tests.pages import alerts

CONFLICT = {"en": "someone else saved this record while you were editing it",
            "zh": "您编辑期间他人已保存此记录"}
MISSING = {"en": "the form did not say which version of the record you edited",
           "zh": "表单未注明您编辑的是该记录的哪个版本"}
API_URL = "/api/v1/supervision_item/"
EDIT_URL = "/supervisionitemview/edit/"


def _item(app, title: str) -> int:
    with app.app_context():
        item = make(db.session, SupervisionItem, title=title)
        db.session.commit()
        return item.id


def _updates(app, pk: int) -> list[AuditLog]:
    with app.app_context():
        return db.session.query(AuditLog).filter_by(entity="SupervisionItem", record_id=pk,
                                                   action="UPDATE").all()


def _edit_form(app, pk: int) -> dict:
    with app.app_context():
        return form_data(entity_for(SupervisionItem), db.session.get(SupervisionItem, pk))


@pytest.mark.parametrize("round_", range(3))
def test_two_api_saves_from_one_version_at_once_one_wins(app, monkeypatch, round_):
    pk = _item(app, "并发接口原值")
    clients = [api_client(app, "clerk", "en"), api_client(app, "admin", "en")]
    titles = ["甲的接口修改", "乙的接口修改"]

    def put(i):
        client, headers = clients[i]
        return lambda: client.put(f"{API_URL}{pk}", json={"title": titles[i], "row_version": 1}, headers=headers)

    answers = at_once(monkeypatch, EntityApi, "pre_update", [put(0), put(1)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.get_json() for a in answers]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
    loser = answers[1 - winner]
    assert CONFLICT["en"] in " ".join(loser.json["message"])
    assert titles[winner] in " ".join(loser.json["message"])         # what won, and who saved it
    record = saved(app, SupervisionItem, pk)
    assert (record.title, record.row_version) == (titles[winner], 2)
    assert answers[winner].json["result"]["row_version"] == 2
    assert len(_updates(app, pk)) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_form_saves_from_one_version_at_once_one_wins(app, as_role, monkeypatch, lang):
    pk = _item(app, "并发表单原值")
    data = _edit_form(app, pk)
    clients = [as_role("clerk", lang), as_role("admin", lang)]
    titles = ["甲的表单修改", "乙的表单修改"]

    def post(i):
        return lambda: clients[i].post(f"{EDIT_URL}{pk}", data={**data, "title": titles[i]})

    answers = at_once(monkeypatch, EntityView, "pre_update", [post(0), post(1)])
    assert sorted(a.status_code for a in answers) == [200, 302]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    page = answers[1 - winner].get_data(as_text=True)
    shown = " ".join(alerts(page))
    assert CONFLICT[lang] in shown and titles[winner] in shown
    assert titles[1 - winner] in page                                  # the loser's input is kept
    record = saved(app, SupervisionItem, pk)
    assert (record.title, record.row_version) == (titles[winner], 2)
    assert len(_updates(app, pk)) == 1
    assert 'name="row_version" type="hidden" value="2"' in page        # saving again: knowingly over it


def test_second_save_from_an_old_version_is_refused_then_may_overwrite_knowingly(app, as_role):
    pk = _item(app, "旧版本")
    data = _edit_form(app, pk)
    first, second = as_role("clerk", "en"), as_role("admin", "en")
    assert first.post(f"{EDIT_URL}{pk}", data={**data, "title": "先存"}).status_code == 302
    refused = second.post(f"{EDIT_URL}{pk}", data={**data, "title": "后存"})
    assert refused.status_code == 200 and CONFLICT["en"] in " ".join(alerts(refused.get_data(as_text=True)))
    assert saved(app, SupervisionItem, pk).title == "先存"
    again = second.post(f"{EDIT_URL}{pk}", data={**data, "title": "后存", "row_version": "2"})
    assert again.status_code == 302
    assert (saved(app, SupervisionItem, pk).title, saved(app, SupervisionItem, pk).row_version) == ("后存", 3)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("version", [None, "abc", "", "1.5", "-1"])
def test_form_without_a_valid_version_is_refused_and_nothing_written(app, as_role, lang, version):
    pk = _item(app, "无版本表单")
    data = {k: v for k, v in _edit_form(app, pk).items() if k != "row_version"}
    if version is not None:
        data["row_version"] = version
    answer = as_role("clerk", lang).post(f"{EDIT_URL}{pk}", data={**data, "title": "不该保存"})
    assert answer.status_code == 200
    assert MISSING[lang] in " ".join(alerts(answer.get_data(as_text=True)))
    record = saved(app, SupervisionItem, pk)
    assert (record.title, record.row_version) == ("无版本表单", 1)
    assert _updates(app, pk) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("version", ["missing", "abc", None, True, 1.5, "1x"])
def test_api_put_without_a_valid_version_is_422_naming_it(app, lang, version):
    pk = _item(app, "无版本接口")
    client, headers = api_client(app, "clerk", lang)
    body = {"title": "不该保存"}
    if version != "missing":
        body["row_version"] = version
    answer = client.put(f"{API_URL}{pk}", json=body, headers=headers)
    assert answer.status_code == 422, answer.json
    assert "row_version" in answer.json["message"]
    expected = "必填" if lang == "zh" else "Required: the row_version"
    assert expected in answer.json["message"]["row_version"][0]
    record = saved(app, SupervisionItem, pk)
    assert (record.title, record.row_version) == ("无版本接口", 1)


def test_api_reads_give_the_version_a_put_sends_back(app):
    pk = _item(app, "读版本")
    client, headers = api_client(app, "clerk", "en")
    assert client.get(f"{API_URL}{pk}", headers=headers).json["result"]["row_version"] == 1
    listed = client.get(API_URL, query_string={"q": "(order_column:id,order_direction:desc)"},
                        headers=headers).json
    row = next(r for r, i in zip(listed["result"], listed["ids"], strict=True) if i == pk)
    assert row["row_version"] == 1
    first = client.put(f"{API_URL}{pk}", json={"title": "一改", "row_version": 1}, headers=headers)
    assert first.status_code == 200 and first.json["result"]["row_version"] == 2
    second = client.put(f"{API_URL}{pk}", json={"title": "二改", "row_version": "2"}, headers=headers)
    assert second.status_code == 200 and second.json["result"]["row_version"] == 3
    stale = client.put(f"{API_URL}{pk}", json={"title": "旧改", "row_version": 2}, headers=headers)
    assert stale.status_code == 409 and "二改" in " ".join(stale.json["message"])
    assert saved(app, SupervisionItem, pk).title == "二改"


def test_every_other_write_path_moves_the_version_on(app, as_role):
    """Soft delete and restore go through the same versioned UPDATE."""
    pk = _item(app, "回收站版本")
    admin = as_role("admin", "en")
    assert admin.post(f"/supervisionitemview/delete/{pk}").status_code == 302
    assert saved(app, SupervisionItem, pk).row_version == 2
    assert admin.post(f"/supervisionitemview/restore/{pk}").status_code == 302
    record = saved(app, SupervisionItem, pk)
    assert (record.is_deleted, record.row_version) == (False, 3)

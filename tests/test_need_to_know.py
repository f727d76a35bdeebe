"""Need-to-know (知悉范围) of 内部 records, the ban on their bulk export, attachments' own
secrecy level (docs/domain.md §9, app/registry/need_to_know.py).

Generated over the registry: every entity whose records carry a secrecy level, every child
that follows its owner's list, every relation field that may offer such a record. The
people of a test are made by the test (the accounts go again after it, tests/baseline.py):
an outsider (a Clerk of another unit), a Clerk of a unit under a listed unit, a listed
person of yet another unit; the record sits in the test users' own unit, so the unit scope
alone would let the test Clerk read it — the list is what keeps him out.
"""
from __future__ import annotations

import io
import uuid

import pytest
from python_calamine import CalamineWorkbook

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.need_to_know import EXPORT_INTERNAL, has_level, owners
from app.registry.scope import paths_of, scoped_links
from app.registry.spec import REGISTRY
from app.search.index import fields_of
from models.attachments import Attachment
from models.audit import AuditLog
from models.need_to_know import NeedToKnow
from models.org import Department, Personnel, PersonnelAppraisal
from tests.conftest import PASSWORD, TEST_UNIT_CODE, login, place_user
from tests.factories import make
from tests.helpers import api_headers
from tests.test_scope import _move_to

#: Every entity whose records carry a secrecy level (Document, Telegram, Meeting, …).
LEVELLED = sorted((e for e in REGISTRY.values() if e.is_business and has_level(e.model)), key=lambda e: e.name)
#: Every child entity that follows its owner's list: (child, link to the owner, owner).
CHILDREN = sorted(((e, rel, owner) for e in REGISTRY.values() if e.is_business and not e.admin_only
                   for rel, owner in owners(e, REGISTRY) if has_level(owner.model)),
                  key=lambda c: (c[0].name, c[1].key))
#: Every relation field of a form that may offer a record with a level: (entity, relation, target).
PICKED = sorted(((e, rel, target) for e in REGISTRY.values() if e.is_business and not e.admin_only
                 and not e.read_only for rel, target in scoped_links(e, REGISTRY)
                 if has_level(target.model) and rel.key in e.form_fields),
                key=lambda link: (link[0].name, link[1].key))

PDF = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF\n"


def test_the_registry_has_what_these_tests_sweep():
    assert {e.name for e in LEVELLED} >= {"Document", "Telegram", "Meeting", "Incident", "ResearchReport",
                                         "InfoReport"}
    assert any(c.name == "DocumentStep" for c, _rel, _owner in CHILDREN)
    assert any(t.name == "Document" for _e, _rel, t in PICKED)


# --- the people of a test ---------------------------------------------------------------------------------
def _unit(session, name: str, parent=None) -> Department:
    return make(session, Department, name_zh=f"{name}{uuid.uuid4().hex[:6]}", parent_id=parent.id if parent else None)


def _user(app, session, role: str, unit) -> str:
    sm = app.appbuilder.sm
    name = f"ntk{uuid.uuid4().hex[:10]}"
    user = sm.add_user(name, "知悉", name[-4:], f"{name}@test.xm.gov.cn", [sm.find_role(role)], PASSWORD)
    place_user(session, user, unit)
    return name


@pytest.fixture()
def people(app):
    """{outsider, listed_unit_user, listed_person: username, listed_unit, listed_person_id, own_unit: id}."""
    with app.app_context():
        session = db.session
        listed = _unit(session, "知悉单位")
        below = _unit(session, "知悉单位下属科", parent=listed)
        elsewhere = _unit(session, "其他单位")
        out = {"outsider": _user(app, session, "Clerk", _unit(session, "无关单位")),
               "listed_unit_user": _user(app, session, "Clerk", below),
               "listed_person": _user(app, session, "Clerk", elsewhere)}
        sm = app.appbuilder.sm
        out["listed_unit"] = listed.id
        out["listed_person_id"] = sm.find_user(username=out["listed_person"]).id
        out["own_unit"] = session.query(Department.id).filter_by(code=TEST_UNIT_CODE).scalar()
        session.commit()
    return out


def _text_field(entity) -> str:
    """The text field a test's word goes into (the search finds it, the API's list filters by it)."""
    fields = fields_of(entity)
    return next((f for f in ("title", "topic") if f in fields), fields[0])


def _record(app, entity, *, level="NEIBU", token=None, **values):
    """A record of `entity` in the test users' unit (registered by nobody they are)."""
    with app.app_context():
        if token is not None:
            values[_text_field(entity)] = f"{token} 知悉测试"
        record = make(db.session, entity.model, secrecy_level=level, **values)
        _move_to(record, paths_of(entity, REGISTRY), db.session.get(Department, _own_unit()), db.session)
        record.created_by = "system"
        db.session.commit()
        return record.id


def _child(app, entity, rel, owner, owner_pk) -> int:
    """A child of `entity` under the owner record, in the test users' unit but for its owner."""
    with app.app_context():
        record = make(db.session, entity.model, **{rel.key: db.session.get(owner.model, owner_pk)})
        _move_to(record, [p for p in paths_of(entity, REGISTRY) if not p.startswith(f"{rel.key}.")],
                 db.session.get(Department, _own_unit()), db.session)
        record.created_by = "system"
        db.session.commit()
        return record.id


def _own_unit() -> int:
    return db.session.query(Department.id).filter_by(code=TEST_UNIT_CODE).scalar()


def _list(app, entity, pk, *, units=(), users=()):
    with app.app_context():
        db.session.query(NeedToKnow).filter_by(entity=entity.name, record_id=pk).delete()
        db.session.add_all([NeedToKnow(entity=entity.name, record_id=pk, department_id=u) for u in units]
                           + [NeedToKnow(entity=entity.name, record_id=pk, user_id=u) for u in users])
        db.session.commit()


def _api(app, username):
    client = app.test_client()
    return client, api_headers(client, username, "en")


def _api_get(app, username, entity, pk) -> int:
    client, headers = _api(app, username)
    return client.get(f"/api/v1/{entity.slug}/{pk}", headers=headers).status_code


# --- 1. a 内部 record is read only by its list ---------------------------------------------------------------
@pytest.mark.parametrize("entity", LEVELLED, ids=lambda e: e.name)
def test_an_internal_record_is_read_only_by_its_need_to_know_list(app, people, entity):
    token = f"ntk{uuid.uuid4().hex[:8]}"
    pk = _record(app, entity, token=token)
    base = f"/{entity.name.lower()}view"
    by_word = f"(filters:!((col:{_text_field(entity)},opr:ct,value:{token})))"
    # an empty list: the unit scope alone decides (the test Clerk's unit holds it); the page asks for a list
    assert _api_get(app, "clerk", entity, pk) == 200
    clerk = login(app.test_client(), "clerk", lang="en")
    page = clerk.get(f"{base}/show/{pk}").get_data(as_text=True)
    assert "has no need-to-know list" in page and 'id="NeedToKnow"' in page
    _list(app, entity, pk, units=[people["listed_unit"]], users=[people["listed_person_id"]])

    # outside the list: not found wherever he looks, though the record is his unit's
    for who in ("clerk", people["outsider"]):
        web = login(app.test_client(), who, lang="en")
        assert web.get(f"{base}/show/{pk}").status_code == 404, who
        assert web.get(f"{base}/print/{pk}").status_code == 404, who
        assert web.get(f"{base}/edit/{pk}").status_code in (302, 404), who
        assert _api_get(app, who, entity, pk) == 404, who
        client, headers = _api(app, who)
        listed = client.get(f"/api/v1/{entity.slug}/", headers=headers, query_string={"q": by_word}).json
        assert listed["count"] == 0 and listed["internal_left_out"] == 0, (who, listed)
        found = web.get("/search/", query_string={"q": token}).get_data(as_text=True)
        assert f"{base}/show/{pk}\"" not in found, who

    # on the list: a user of a unit under a listed unit, a listed person; Leader and Admin read every one
    for who in ("listed_unit_user", "listed_person"):
        username = people[who]
        web = login(app.test_client(), username, lang="en")
        assert web.get(f"{base}/show/{pk}").status_code == 200, who
        assert _api_get(app, username, entity, pk) == 200, who
        found = web.get("/search/", query_string={"q": token}).get_data(as_text=True)
        assert f"{base}/show/{pk}\"" in found, who
        # a list is a bulk export: the 内部 row stays out of it, and the answer says so
        client, headers = _api(app, username)
        listed = client.get(f"/api/v1/{entity.slug}/", headers=headers, query_string={"q": by_word}).json
        assert listed["count"] == 0 and listed["internal_left_out"] == 1, (who, listed)
        assert "not exported in bulk" in listed["message"]
    for role in ("leader", "admin"):
        assert _api_get(app, role, entity, pk) == 200, role

    # at another level the list decides nothing
    with app.app_context():
        db.session.get(entity.model, pk).secrecy_level = "FEIMI"
        db.session.commit()
    assert _api_get(app, "clerk", entity, pk) == 200


def test_the_units_that_run_the_function_and_the_registrar(app, people):
    """The units running documents (文电处) are not on the list by their function; whoever
    registered the record reads it."""
    from models.ownership import FunctionOwner

    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    pk = _record(app, entity)
    _list(app, entity, pk, users=[people["listed_person_id"]])
    with app.app_context():
        unit = app.appbuilder.sm.find_user(username=people["outsider"]).department_id
        db.session.add(FunctionOwner(function=entity.group, department_id=unit))
        db.session.commit()
    try:
        assert _api_get(app, people["outsider"], entity, pk) == 404
        with app.app_context():
            db.session.get(entity.model, pk).created_by = people["outsider"]
            db.session.commit()
        assert _api_get(app, people["outsider"], entity, pk) == 200
    finally:
        with app.app_context():
            db.session.query(FunctionOwner).filter_by(department_id=unit).delete()
            db.session.commit()


# --- 2. a child follows its owner's list; no drop-down offers a record the list keeps him from ---------------
@pytest.mark.parametrize("child", CHILDREN, ids=lambda c: f"{c[0].name}.{c[1].key}")
def test_a_child_of_an_internal_record_follows_its_list(app, people, child):
    entity, rel, owner = child
    pk = _record(app, owner)
    child_id = _child(app, entity, rel, owner, pk)
    assert _api_get(app, "clerk", entity, child_id) == 200
    _list(app, owner, pk, units=[people["listed_unit"]])
    assert _api_get(app, "clerk", entity, child_id) == 404
    # the owner's related tab is out of reach with it
    web = login(app.test_client(), "clerk", lang="en")
    assert web.get(f"/{owner.name.lower()}view/related/{pk}/0").status_code == 404
    _list(app, owner, pk, units=[people["listed_unit"], people["own_unit"]])
    assert _api_get(app, "clerk", entity, child_id) == 200


@pytest.mark.parametrize("link", PICKED, ids=lambda link: f"{link[0].name}.{link[1].key}")
def test_no_drop_down_offers_a_record_its_list_keeps_from_the_user(app, people, link):
    entity, rel, target = link
    pk = _record(app, target)
    web = login(app.test_client(), "clerk", lang="en")
    url = f"/{entity.name.lower()}view/choices/{rel.key}"
    first = web.get(url, query_string={"form": "add", "id": str(pk)})
    if first.status_code == 404:                       # not a search-as-you-type field of this form
        first = web.get(url, query_string={"form": "edit", "id": str(pk)})
    if first.status_code != 200:
        pytest.skip(f"{entity.name}.{rel.key} is offered by no form of the Clerk's")
    form = "add" if "form=add" in first.request.url else "edit"
    if str(pk) not in [row["id"] for row in first.get_json()["results"]]:
        pytest.skip(f"{entity.name}.{rel.key} offers only some records (its form narrows the choice)")
    _list(app, target, pk, units=[people["listed_unit"]])
    answer = web.get(url, query_string={"form": form, "id": str(pk)})
    assert str(pk) not in [row["id"] for row in answer.get_json()["results"]]


# --- 3. editing the list on the record page ---------------------------------------------------------------
def test_the_list_is_edited_on_the_record_page_and_each_change_is_in_its_history(app, people):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    pk = _record(app, entity)
    url = f"/documentview/need_to_know/{pk}"
    clerk = login(app.test_client(), "clerk", lang="en")
    # a list that would shut him out of the record is refused, nothing written
    page = clerk.post(url, data={"units": [str(people["listed_unit"])]}, follow_redirects=True).get_data(as_text=True)
    assert "You would no longer see this internal record" in page
    with app.app_context():
        assert db.session.query(NeedToKnow).filter_by(entity="Document", record_id=pk).count() == 0
    # a unit that is not one, a person who is not one: refused
    page = clerk.post(url, data={"units": ["99999999"]}, follow_redirects=True).get_data(as_text=True)
    assert "Choose units and people from the lists offered" in page
    # his unit and a person: saved, and the record's History says who changed it from what to what
    page = clerk.post(url, data={"units": [str(people["own_unit"])], "users": [str(people["listed_person_id"])]},
                      follow_redirects=True).get_data(as_text=True)
    assert "Need-to-know list saved" in page
    assert "Need-to-know list: nobody → " in page and people["listed_person"] in page
    with app.app_context():
        assert db.session.query(NeedToKnow).filter_by(entity="Document", record_id=pk).count() == 2
        row = db.session.query(AuditLog).filter(AuditLog.entity == "Document", AuditLog.record_id == pk,
                                                AuditLog.detail.contains("need_to_know")).one()
        assert row.action == "UPDATE"
        assert row.username == "clerk" and '"need_to_know"' in row.detail
    assert _api_get(app, people["listed_person"], entity, pk) == 200
    assert _api_get(app, people["outsider"], entity, pk) == 404
    # the fields offer units and people as the user types
    with app.app_context():
        unit_name = db.session.get(Department, people["listed_unit"]).name_zh
    units = clerk.get("/documentview/need_to_know/choices/units", query_string={"q": unit_name}).get_json()
    assert [row["id"] for row in units["results"]] == [str(people["listed_unit"])]
    users = clerk.get("/documentview/need_to_know/choices/users",
                      query_string={"q": people["listed_person"]}).get_json()
    assert [row["id"] for row in users["results"]] == [str(people["listed_person_id"])]
    # who may not edit the record may not change its list; outside the list, the record is not there
    viewer = login(app.test_client(), "viewer", lang="en")
    viewer.post(url, data={"units": []})
    outsider = login(app.test_client(), people["outsider"], lang="en")
    assert outsider.post(url, data={"units": []}).status_code == 404
    with app.app_context():
        assert db.session.query(NeedToKnow).filter_by(entity="Document", record_id=pk).count() == 2


def test_the_list_is_read_and_replaced_through_the_api_with_the_pages_rules(app, people):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Telegram")]
    pk = _record(app, entity)
    url = f"/api/v1/{entity.slug}/{pk}/need_to_know"
    client, headers = _api(app, "clerk")
    assert client.get(url, headers=headers).json == {"id": pk, "applies": True, "units": [], "users": []}
    # refusals change nothing: shutting himself out, a unit that is none, a body that is no list of ids
    shut_out = client.put(url, headers=headers, json={"units": [people["listed_unit"]]})
    assert shut_out.status_code == 422 and "You would no longer see this internal record" in shut_out.json["message"][0]
    assert client.put(url, headers=headers, json={"units": [99999999]}).status_code == 422
    for body in ({"units": ["1"]}, {"units": 3}, [1, 2], {"units": [], "others": []}, {"users": [True]},
                 {"units": [2**40]}):
        answer = client.put(url, headers=headers, json=body)
        assert answer.status_code == 400 and "lists of whole numbers" in answer.json["message"], body
    with app.app_context():
        assert db.session.query(NeedToKnow).filter_by(entity=entity.name, record_id=pk).count() == 0
    # his unit and a person: saved, in the History, and the list now decides who reads it
    saved = client.put(url, headers=headers, json={"units": [people["own_unit"]],
                                                   "users": [people["listed_person_id"]]})
    assert saved.status_code == 200, saved.json
    assert [u["id"] for u in saved.json["units"]] == [people["own_unit"]]
    assert [u["username"] for u in saved.json["users"]] == [people["listed_person"]]
    assert saved.json["message"] == ["Need-to-know list saved."]
    with app.app_context():
        row = db.session.query(AuditLog).filter(AuditLog.entity == entity.name, AuditLog.record_id == pk,
                                                AuditLog.detail.contains("need_to_know")).one()
        assert row.username == "clerk"
    assert _api_get(app, people["listed_person"], entity, pk) == 200
    assert _api_get(app, people["outsider"], entity, pk) == 404
    # outside the list the record is not there; a role that may not edit it may not change its list
    outsider, outsider_headers = _api(app, people["outsider"])
    assert outsider.get(url, headers=outsider_headers).status_code == 404
    assert outsider.put(url, headers=outsider_headers, json={"units": []}).status_code == 404
    viewer, viewer_headers = _api(app, "viewer")
    assert viewer.put(url, headers=viewer_headers, json={"units": []}).status_code in (403, 404)
    zh_client = app.test_client()
    zh = zh_client.put(url, headers=api_headers(zh_client, "clerk", "zh"), json={"units": [99999999]})
    assert zh.status_code == 422 and "请从列出的单位和人员中选择" in zh.json["message"][0], zh.json
    with app.app_context():
        assert db.session.query(NeedToKnow).filter_by(entity=entity.name, record_id=pk).count() == 2
    # a record without a level has no list
    plain = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Dispute")]
    assert client.get(f"/api/v1/{plain.slug}/1/need_to_know", headers=headers).status_code == 404


# --- 4. no bulk export of 内部 records -----------------------------------------------------------------------
def _cells(data: bytes) -> dict[str, set[str]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: {str(c) for row in book.get_sheet_by_name(name).to_python() for c in row}
            for name in book.sheet_names}


def test_exports_and_ledgers_leave_internal_records_out_and_say_so(app):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    token = f"导出{uuid.uuid4().hex[:6]}"
    open_pk = _record(app, entity, level="FEIMI", title=f"{token}公开件", direction="INCOMING")
    internal_pk = _record(app, entity, level="NEIBU", title=f"{token}内部件", direction="INCOMING")
    manager = login(app.test_client(), "manager", lang="en")
    query = f"?_flt_0_title={token}"
    sheets = _cells(manager.get(f"/documentview/export/{query}").data)
    data, notes = list(sheets.values())
    assert f"{token}公开件" in data and f"{token}内部件" not in data
    assert any("1 internal (内部) records left out" in cell for cell in notes)
    assert "1 internal (内部) records left out" in manager.get("/documentview/list/").get_data(as_text=True)
    ledger = _cells(manager.get(f"/documentview/ledger/incoming_documents/{query}").data)
    cells = set().union(*ledger.values())
    assert f"{token}公开件" in cells and f"{token}内部件" not in cells
    assert any("1 internal (内部) records left out" in cell for cell in cells)
    with app.app_context():
        rows = db.session.query(AuditLog).filter(AuditLog.entity == "Document", AuditLog.action == "EXPORT",
                                                 AuditLog.detail.contains(token)).all()
        assert len(rows) == 2 and all('"internal_left_out": 1' in row.detail for row in rows)
    # a role an admin grants the right exports them, and the audit row says it did
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_permission_role(sm.find_role("Manager"), sm.find_permission_view_menu(*EXPORT_INTERNAL))
    granted = login(app.test_client(), "manager", lang="en")
    (data,) = _cells(granted.get(f"/documentview/export/{query}").data).values()
    assert f"{token}公开件" in data and f"{token}内部件" in data
    client, headers = _api(app, "manager")
    listed = client.get("/api/v1/document/", headers=headers,
                        query_string={"q": f"(filters:!((col:title,opr:ct,value:'{token}内部件')))"}).json
    assert "count" in listed, listed
    assert listed["count"] == 1 and "internal_left_out" not in listed, listed
    with app.app_context():
        row = db.session.query(AuditLog).filter(AuditLog.action == "EXPORT", AuditLog.detail.contains(token)) \
            .order_by(AuditLog.id.desc()).first()
        assert '"internal_included": true' in row.detail
    assert open_pk and listed["ids"] == [internal_pk]


@pytest.mark.parametrize("child", CHILDREN, ids=lambda c: f"{c[0].name}.{c[1].key}")
def test_the_children_of_an_internal_record_stay_out_of_bulk_exports_too(app, child):
    """A 内部 meeting's decisions are as internal as the meeting: the API's list (a bulk
    export) leaves them out and counts them; the children of an unclassified owner stay in."""
    entity, rel, owner = child
    open_child = _child(app, entity, rel, owner, _record(app, owner, level="FEIMI"))
    internal_child = _child(app, entity, rel, owner, _record(app, owner, level="NEIBU"))
    assert _api_get(app, "manager", entity, internal_child) == 200        # one record is still read by id
    client, headers = _api(app, "manager")
    listed = client.get(f"/api/v1/{entity.slug}/", headers=headers,
                        query_string={"q": "(order_column:id,order_direction:desc,page_size:50)"}).json
    assert "ids" in listed, listed
    assert open_child in listed["ids"] and internal_child not in listed["ids"], listed["ids"]
    assert listed["internal_left_out"] >= 1 and "not exported in bulk" in listed["message"]


def test_the_decisions_ledger_leaves_out_the_decisions_of_internal_meetings(app):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "MeetingDecision")]
    meeting = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Meeting")]
    rel = next(r for r, o in owners(entity, REGISTRY) if o is meeting)
    token = f"决定{uuid.uuid4().hex[:6]}"
    pks = {}
    for level in ("FEIMI", "NEIBU"):
        pk = _child(app, entity, rel, meeting, _record(app, meeting, level=level))
        with app.app_context():
            db.session.get(entity.model, pk).content = f"{token}{level}"
            db.session.commit()
        pks[level] = pk
    manager = login(app.test_client(), "manager", lang="en")
    sheets = _cells(manager.get(f"/meetingdecisionview/export/?_flt_0_content={token}").data)
    cells = set().union(*sheets.values())
    assert f"{token}FEIMI" in cells and f"{token}NEIBU" not in cells, cells
    assert any("1 internal (内部) records left out" in c for c in cells), cells


# --- 5. an attachment's own level -----------------------------------------------------------------------------
def _upload(client, view, pk, level):
    return client.post(f"/{view}/attachments/{pk}/upload",
                       data={"title": "附件", "secrecy_level": level, "file": (io.BytesIO(PDF), "件.pdf")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def _attachments(app, entity_name, pk):
    with app.app_context():
        return db.session.query(Attachment).filter_by(entity=entity_name, record_id=pk, is_deleted=False).all()


@pytest.mark.parametrize("entity", LEVELLED, ids=lambda e: e.name)
def test_an_attachment_is_never_more_secret_than_its_record(app, entity):
    view = f"{entity.name.lower()}view"
    clerk = login(app.test_client(), "clerk", lang="en")
    plain = _record(app, entity, level="FEIMI")
    assert "cannot be more secret than its record" in _upload(clerk, view, plain, "NEIBU")
    assert "never stored here" in _upload(clerk, view, plain, "MIMI")
    assert _attachments(app, entity.name, plain) == []
    internal = _record(app, entity, level="NEIBU")
    page = _upload(clerk, view, internal, "NEIBU")
    assert "Attached" in page
    (row,) = _attachments(app, entity.name, internal)
    assert row.secrecy_level == "NEIBU"
    assert "Internal" in clerk.get(f"/{view}/show/{internal}").get_data(as_text=True)
    # the record's level cannot go below its file's
    client, headers = _api(app, "clerk")
    version = client.get(f"/api/v1/{entity.slug}/{internal}", headers=headers).json["result"]["row_version"]
    answer = client.put(f"/api/v1/{entity.slug}/{internal}", headers=headers,
                        json={"secrecy_level": "FEIMI", "row_version": version})
    assert answer.status_code == 422 and "more secret than the record's new level" in answer.get_data(as_text=True)


def test_an_attachment_of_a_record_without_a_level_is_unclassified(app):
    from models.supervision import SupervisionItem

    with app.app_context():
        item = make(db.session, SupervisionItem, created_by="clerk")
        db.session.commit()
        pk = item.id
    clerk = login(app.test_client(), "clerk", lang="en")
    assert "cannot be more secret than its record" in _upload(clerk, "supervisionitemview", pk, "NEIBU")
    assert _attachments(app, "SupervisionItem", pk) == []


def test_an_internal_attachment_is_downloaded_only_within_the_list(app, people):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    pk = _record(app, entity)
    _upload(login(app.test_client(), "clerk", lang="en"), "documentview", pk, "NEIBU")
    (row,) = _attachments(app, "Document", pk)
    _list(app, entity, pk, users=[people["listed_person_id"]])
    url = f"/documentview/attachments/{pk}/{row.id}"
    for who in ("clerk", people["outsider"], people["listed_unit_user"]):
        assert login(app.test_client(), who, lang="en").get(url).status_code == 404, who
    answer = login(app.test_client(), people["listed_person"], lang="en").get(url)
    assert answer.status_code == 200 and answer.data == PDF


# --- 6. political status and appraisals are sensitive -----------------------------------------------------------
def test_political_status_and_appraisals_are_masked_and_their_unmasked_reads_audited(app):
    name = f"政治面貌{uuid.uuid4().hex[:6]}"
    with app.app_context():
        person = make(db.session, Personnel, name=name, political_status="01",
                      department=db.session.get(Department, _own_unit()))
        make(db.session, PersonnelAppraisal, personnel=person, year=2025, result="YOUXIU")
        db.session.commit()
        pk = person.id
    manager = login(app.test_client(), "manager", lang="zh")
    page = manager.get(f"/personnelview/show/{pk}").get_data(as_text=True)
    assert "中共党员" not in page and "****" in page
    tab = manager.get(f"/personnelview/related/{pk}/0").get_data(as_text=True)
    assert "优秀" not in tab and "****" in tab
    client, headers = _api(app, "manager")
    assert client.get(f"/api/v1/personnel/{pk}", headers=headers).json["result"]["political_status"] == "****"
    roster = _cells(manager.get(f"/personnelview/ledger/staff_roster/?_flt_1_name={name}").data)
    cells = set().union(*roster.values())
    assert name in cells and "中共党员" not in cells and "****" in cells
    # who may see sensitive data reads them, and leaves a trace each time
    admin = login(app.test_client(), "admin", lang="zh")
    page = admin.get(f"/personnelview/show/{pk}").get_data(as_text=True)
    assert "中共党员" in page
    with app.app_context():
        row = db.session.query(AuditLog).filter_by(entity="Personnel", record_id=pk, action="UNMASK") \
            .order_by(AuditLog.id.desc()).first()
        assert row is not None and row.username == "admin" and "political_status" in row.detail
    assert "优秀" in admin.get(f"/personnelview/related/{pk}/0").get_data(as_text=True)


def test_a_party_members_political_status_is_masked_as_his_personnel_records(app):
    from models.party import PartyMember

    with app.app_context():
        person = make(db.session, Personnel, name=f"党员{uuid.uuid4().hex[:6]}", political_status="02",
                      department=db.session.get(Department, _own_unit()))
        member = make(db.session, PartyMember, personnel=person, name=person.name)
        db.session.commit()
        pk = member.id
    label = "中共预备党员"
    assert label not in login(app.test_client(), "manager", lang="zh").get(f"/partymemberview/show/{pk}") \
        .get_data(as_text=True)
    assert label in login(app.test_client(), "admin", lang="zh").get(f"/partymemberview/show/{pk}") \
        .get_data(as_text=True)


def test_the_list_of_a_record_deleted_for_good_goes_with_it(app, people):
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    pk = _record(app, entity)
    _list(app, entity, pk, units=[people["listed_unit"]])
    with app.app_context():
        db.session.delete(db.session.get(entity.model, pk))
        db.session.commit()
        assert db.session.query(NeedToKnow).filter_by(entity="Document", record_id=pk).count() == 0


def test_the_bell_tells_an_internal_records_news_only_to_its_list(app, people):
    from app.reminders.notify import notify
    from models.notifications import Notification

    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    pk = _record(app, entity)
    with app.app_context():
        sm = app.appbuilder.sm
        ids = {who: sm.find_user(username=name).id
               for who, name in (("outsider", people["outsider"]), ("person", people["listed_person"]),
                                 ("unit", people["listed_unit_user"]), ("leader", "leader"))}
    _list(app, entity, pk, units=[people["listed_unit"]], users=[people["listed_person_id"]])
    with app.app_context():
        told = notify(db.session, ids.values(), "OVERDUE", f"ntk-test:{pk}", entity="Document", record_id=pk,
                      record_name="内部件")
        db.session.commit()
        got = {uid for (uid,) in db.session.query(Notification.user_id).filter_by(key=f"ntk-test:{pk}")}
    assert told == 3 and got == {ids["person"], ids["unit"], ids["leader"]}


def test_the_calendar_shows_an_internal_meeting_only_to_its_list(app, people):
    import datetime as dt

    from models.meetings import Meeting

    entity = REGISTRY[Meeting]
    start = dt.datetime(2026, 7, 8, 9, 0)
    pk = _record(app, entity, title=f"知悉日程{uuid.uuid4().hex[:6]}", start_at=start,
                 end_at=start + dt.timedelta(hours=2))
    window = "start=2026-07-01T00:00:00Z&end=2026-08-01T00:00:00Z"

    def shown(username) -> bool:
        answer = login(app.test_client(), username, lang="en").get(f"/calendar/events/Meeting?{window}")
        assert answer.status_code == 200
        return any(f"/show/{pk}" in (event.get("url") or "") for event in answer.get_json())

    assert shown("clerk")
    _list(app, entity, pk, users=[people["listed_person_id"]])
    assert not shown("clerk") and shown(people["listed_person"])


def test_an_export_prepared_by_the_job_queue_leaves_internal_records_out_too(app, as_role, worker):
    from tests.test_jobs import _job_id, _wait

    app.config["EXPORT_JOB_ROWS"] = 3          # put back after the test (tests/baseline.py)
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Document")]
    token = f"任务{uuid.uuid4().hex[:6]}"
    for n in range(4):
        _record(app, entity, level="FEIMI", title=f"{token}公开{n}")
    _record(app, entity, level="NEIBU", title=f"{token}内部")
    manager = login(app.test_client(), "manager", lang="en")
    job_id = _job_id(manager.get(f"/documentview/export/?_flt_0_title={token}"))
    job = _wait(app, job_id)
    assert job.rows == 4 and job.total == 4
    answer = manager.get(f"/downloads/{job_id}/file")
    data, notes = list(_cells(answer.data).values())
    answer.close()
    assert f"{token}公开0" in data and f"{token}内部" not in data
    assert any("1 internal (内部) records left out" in cell for cell in notes)

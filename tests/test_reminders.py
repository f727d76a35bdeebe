"""Reminders and the bell (app/reminders): the daily run tells a unit's users what falls due
within the working days of the yellow light or is overdue — once, as each chose; a 催办 (of a
supervision item, or a document's 催办 step) and an extension decision are told at once; Mondays
bring the managers their unit's overdue summary; the day ends with each user's digest entry in
the bell; the digest goes out by e-mail to a real (local) SMTP server, in each user's language."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from app.extensions import db
from app.reminders.kinds import DIGEST, DUE_SOON, EXTENSION, OVERDUE, URGED, WAITING, WEEKLY
from app.reminders.run import daily
from models.documents import Document, DocumentHandler, DocumentStep
from models.lookups import CO_HANDLER, LEAD
from models.notifications import Notification, NotificationChoice
from models.org import Department
from models.supervision import ExtensionRequest, SupervisionItem, UrgeRecord
from tests.conftest import TEST_UNIT_CODE
from tests.factories import make
from tests.pages import alerts

#: A Monday with working days after it (2026-07-06); the item due on Wednesday is "due soon".
MONDAY = dt.date(2026, 7, 6)
OPENED = dt.date(2026, 6, 1)


def _unit(app) -> int:
    with app.app_context():
        return db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one().id


def _notes(app, username: str, kind: str | None = None) -> list[Notification]:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username)
        query = db.session.query(Notification).filter_by(user_id=user.id)
        if kind:
            query = query.filter_by(kind=kind)
        rows = query.order_by(Notification.id).all()
        db.session.expunge_all()
        return rows


@pytest.fixture()
def items(app):
    """Of the test unit: one item due in two days, one overdue, one done; one of another unit."""
    tag = uuid.uuid4().hex[:6]
    unit = _unit(app)
    with app.app_context():
        other = make(db.session, Department, code=f"REM-{tag}", name_zh=f"别处{tag}")
        other.parent_id = None
        soon = make(db.session, SupervisionItem, title=f"将到期{tag}", lead_department_id=unit,
                    due_date=MONDAY + dt.timedelta(days=2), status="IN_PROGRESS", opened_at=OPENED, created_by="clerk")
        late = make(db.session, SupervisionItem, title=f"已逾期{tag}", lead_department_id=unit,
                    due_date=MONDAY - dt.timedelta(days=5), status="IN_PROGRESS", opened_at=OPENED,
                    created_by="clerk")
        make(db.session, SupervisionItem, title=f"已办结{tag}", lead_department_id=unit,
             due_date=MONDAY - dt.timedelta(days=5), status="CLOSED", opened_at=OPENED, created_by="clerk")
        make(db.session, SupervisionItem, title=f"别处的{tag}", lead_department=other,
             due_date=MONDAY + dt.timedelta(days=1), status="IN_PROGRESS", opened_at=OPENED,
             created_by="someone")
        db.session.commit()
        return {"tag": tag, "soon": soon.id, "late": late.id}


def _run(app, today=MONDAY, mail=False):
    with app.app_context():
        return daily(db.session, today, send_mail=mail)


def test_the_daily_run_tells_the_unit_what_falls_due_and_what_is_overdue_once(app, items):
    tag = items["tag"]
    _run(app)
    clerk = {n.kind: n for n in _notes(app, "clerk") if tag in (n.record_name or "")}
    assert set(clerk) == {DUE_SOON, OVERDUE}
    assert clerk[DUE_SOON].record_id == items["soon"] and clerk[OVERDUE].record_id == items["late"]
    assert json.loads(clerk[DUE_SOON].detail)["days"] == 2
    # not the finished item, not another unit's
    assert not any(f"已办结{tag}" in (n.record_name or "") or f"别处的{tag}" in (n.record_name or "")
                   for n in _notes(app, "clerk"))
    before = len(_notes(app, "clerk"))
    _run(app)                                              # the next run tells nothing twice
    assert len(_notes(app, "clerk")) == before


@pytest.mark.parametrize("lang, words", [("zh", "已逾期"), ("en", "Overdue since")])
def test_the_bell_shows_reads_and_opens_them(app, as_role, items, lang, words):
    _run(app)
    client = as_role("clerk", lang)
    page = client.get("/").get_data(as_text=True)
    assert 'class="badge office-bell-count"' in page
    latest = client.get("/notifications/latest").get_json()
    assert latest["unread"] >= 2 and any(words in n["text"] for n in latest["notes"])
    note = next(n for n in latest["notes"] if items["tag"] in n["text"] and n["kind"])
    answer = client.get(note["url"])
    assert answer.status_code == 302 and "/supervisionitemview/show/" in answer.location
    assert client.get("/notifications/latest").get_json()["unread"] == latest["unread"] - 1
    assert items["tag"] in client.get("/notifications/?all=1").get_data(as_text=True)
    client.post("/notifications/read")
    assert client.get("/notifications/latest").get_json()["unread"] == 0
    assert 'class="badge office-bell-count"' not in client.get("/").get_data(as_text=True)
    # another user's notification is not his to open
    other = _notes(app, "manager")[0]
    assert client.get(f"/notifications/open/{other.id}").status_code == 404


def test_a_user_who_switched_a_kind_off_is_not_told_it(app, as_role, items):
    client = as_role("clerk", "en")
    page = client.get("/notifications/choices").get_data(as_text=True)
    assert "A record of my unit falls due soon" in page
    form = {f"{kind}:{way}": "1" for kind in (OVERDUE, URGED, EXTENSION, WEEKLY) for way in ("app", "mail")}
    form[f"{DUE_SOON}:mail"] = "1"                          # due soon: by mail only
    client.post("/notifications/choices", data=form)
    with app.app_context():
        user = app.appbuilder.sm.find_user("clerk")
        choice = db.session.query(NotificationChoice).filter_by(user_id=user.id, kind=DUE_SOON).one()
        assert (choice.in_app, choice.by_mail) == (False, True)
    _run(app)
    kinds = {n.kind for n in _notes(app, "clerk") if items["tag"] in (n.record_name or "")}
    assert kinds == {OVERDUE}


def test_mondays_bring_the_managers_their_units_overdue_summary(app, items):
    _run(app)
    weekly = _notes(app, "manager", WEEKLY)
    assert len(weekly) == 1
    detail = json.loads(weekly[0].detail)
    assert detail["total"] >= 1 and any(count >= 1 for _title, count in detail["counts"])
    assert _notes(app, "clerk", WEEKLY) == []               # the managers only
    _run(app, MONDAY + dt.timedelta(days=1))                 # not on Tuesday, not twice
    assert len(_notes(app, "manager", WEEKLY)) == 1


def test_an_urge_and_an_extension_decision_are_told_at_once(app, items):
    unit = _unit(app)
    with app.app_context():
        item = db.session.get(SupervisionItem, items["soon"])
        db.session.add(UrgeRecord(item=item, department_id=unit, method="DIANHUA", content="请加快办理"))
        request = make(db.session, ExtensionRequest, item=item, department_id=unit, status="PENDING",
                       filed_at=MONDAY, requested_due=MONDAY + dt.timedelta(days=20), created_by="clerk")
        db.session.commit()
        assert _notes(app, "clerk", EXTENSION) == []        # filed, not decided yet
        request = db.session.get(ExtensionRequest, request.id)
        request.status, request.approved_due = "APPROVED", MONDAY + dt.timedelta(days=15)
        db.session.commit()
    urged = _notes(app, "clerk", URGED)
    assert len(urged) == 1 and urged[0].record_id == items["soon"]
    decided = _notes(app, "clerk", EXTENSION)
    assert len(decided) == 1 and json.loads(decided[0].detail)["approved"] is True


def test_an_item_saved_with_its_first_urge_is_named_in_the_notification(app, items):
    """The item and its urging record written in one save: the notification links the item."""
    unit = _unit(app)
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        item = SupervisionItem(title=f"同存催办{tag}", lead_department_id=unit, created_by="manager")
        item.urge_records.append(UrgeRecord(department_id=unit, method="DIANHUA"))
        db.session.add(item)
        db.session.commit()
        item_id = item.id
    urged = [n for n in _notes(app, "clerk", URGED) if tag in (n.record_name or "")]
    assert len(urged) == 1 and urged[0].record_id == item_id and "None" not in urged[0].key


def test_the_digest_goes_to_a_real_smtp_server_in_each_users_language(app, items):
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller

    from tests import pg

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, envelope.content))     # the bytes as sent
            return "250 OK"

    inbox = Inbox()
    port = pg.free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)     # put back after the test
        with app.app_context():
            app.appbuilder.sm.find_user("manager").locale = "en"
            db.session.commit()
        counts = _run(app, mail=True)
        assert counts["MAILED"] >= 2
        to_clerk = [m for rcpt, m in inbox.messages if "clerk@test.xm.gov.cn" in rcpt]
        to_manager = [m for rcpt, m in inbox.messages if "manager@test.xm.gov.cn" in rcpt]
        assert len(to_clerk) == 1 and len(to_manager) == 1
        from email import message_from_bytes, policy

        # parsed from the bytes sent, whatever transfer encoding the mail chose (8bit, base64 or
        # quoted-printable: a long line of a long title makes Python pick one of the latter)
        clerk_mail = message_from_bytes(to_clerk[0], policy=policy.default)
        assert "提醒" in str(clerk_mail["Subject"]) and items["tag"] in clerk_mail.get_content()
        manager_mail = message_from_bytes(to_manager[0], policy=policy.default)
        assert "reminders" in str(manager_mail["Subject"]) and "Overdue since" in manager_mail.get_content()
        # the bell's digest entry is not one of the digest's lines (the message is the digest)
        assert _notes(app, "clerk", DIGEST) and "今日：" not in clerk_mail.get_content()
        assert "Today:" not in manager_mail.get_content()
        lines = [line for line in clerk_mail.get_content().splitlines() if line.startswith("· ")]
        assert len(lines) == len([n for n in _notes(app, "clerk") if n.kind != DIGEST])
        sent = len(inbox.messages)
        _run(app, mail=True)                                 # nothing new: nothing mailed again
        assert len(inbox.messages) == sent
    finally:
        controller.stop()


@pytest.mark.parametrize("lang, words", [("zh", "等待您处理（已报结）"),
                                         ("en", "Waiting for you (Submitted for closing)")])
def test_a_step_taken_tells_who_takes_the_next_one(app, items, lang, words):
    """The clerk submits an item for closing: those who may strike it off (办结销号: the manager of
    the unit running supervision) are told; not the clerk who moved it, not the viewer, and not
    the leader — the step is the supervision office's."""
    from tests.helpers import api_client
    from tests.test_ownership import owning

    with owning(app, "F06_Supervision"):
        api, headers = api_client(app, "clerk")
        answer = api.post(f"/api/v1/supervision_item/{items['soon']}/transition/submit", json={}, headers=headers)
        assert answer.status_code == 200, answer.json
    (note,) = _notes(app, "manager", WAITING)
    assert note.record_id == items["soon"]
    assert _notes(app, "clerk", WAITING) == [] and _notes(app, "viewer", WAITING) == []
    assert _notes(app, "leader", WAITING) == []
    from tests.conftest import login

    client = login(app.test_client(), "manager", lang=lang)
    assert any(words in n["text"] for n in client.get("/notifications/latest").get_json()["notes"])


def test_a_step_is_not_told_to_a_section_under_the_records_unit(app, items):
    """A user of a section under the item's unit does not see the item (his scope is his section
    and below): he is not told of it either."""
    from tests.conftest import PASSWORD, place_user
    from tests.helpers import api_client

    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        sm = app.appbuilder.sm
        section = make(db.session, Department, code=f"SEC-{tag}", name_zh=f"下属科{tag}")
        section.parent_id = _unit(app)
        db.session.commit()
        user = sm.add_user(f"sec{tag}", "科", "员", f"sec{tag}@test.xm.gov.cn", [sm.find_role("Manager")], PASSWORD)
        place_user(db.session, user, section)
        db.session.get(SupervisionItem, items["soon"]).status = "ASSIGNED"   # its next step: the unit's own
        db.session.commit()
    api, headers = api_client(app, "clerk")
    assert api.post(f"/api/v1/supervision_item/{items['soon']}/transition/start", json={},
                    headers=headers).status_code == 200
    assert len(_notes(app, "manager", WAITING)) == 1
    assert _notes(app, f"sec{tag}", WAITING) == []


# --- 催办 of a document --------------------------------------------------------------------------
def _person(app, name: str, unit: int, role: str):
    from tests.conftest import PASSWORD, place_user

    with app.app_context():
        sm = app.appbuilder.sm
        found = sm.find_role(role) or sm.add_role(role)
        user = sm.add_user(name, "测", "试", f"{name}@test.xm.gov.cn", [found], PASSWORD)
        place_user(db.session, user, db.session.get(Department, unit))


@pytest.fixture()
def urged_doc(app):
    """An incoming document in handling: a lead (主办) and a co-handling (协办) unit under the
    test unit, each with a clerk; the lead unit also has a user whose role may not read
    documents; a unit that does not handle it has a clerk too."""
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        lead, co, other = (make(db.session, Department, code=f"{code}-{tag}", name_zh=f"{name}{tag}").id
                           for code, name in (("LEAD", "主办处"), ("CO", "协办处"), ("ELSE", "无关处")))
        doc = make(db.session, Document, direction="INCOMING", status="HANDLING", title=f"催办来文{tag}",
                   receive_no=f"SW-{tag}", lead_department_id=lead, doc_type="TONGZHI")
        db.session.add_all([DocumentHandler(document=doc, seq=1, department_id=lead, role=LEAD),
                            DocumentHandler(document=doc, seq=2, department_id=co, role=CO_HANDLER)])
        db.session.commit()
        pk = doc.id
    names = {"lead": f"lead{tag}", "co": f"co{tag}", "blind": f"blind{tag}", "other": f"else{tag}"}
    _person(app, names["lead"], lead, "Clerk")
    _person(app, names["co"], co, "Clerk")
    _person(app, names["blind"], lead, f"NoDocuments{tag}")        # a role without the right to read them
    _person(app, names["other"], other, "Clerk")
    return {"tag": tag, "doc": pk, "lead_unit": lead, "co_unit": co, **names}


def _urge(app, doc: int, **values) -> int:
    with app.app_context():
        step = make(db.session, DocumentStep, document_id=doc, **{"step_type": "CUIBAN", "actor": "督查员", **values})
        db.session.commit()
        return step.id


@pytest.mark.parametrize("lang, words", [("zh", "市政府办公厅催办：催办来文"),
                                         ("en", "Urged (催办) by the general office: ")])
def test_a_documents_urge_step_tells_the_users_of_its_handling_units(app, as_role, urged_doc, lang, words):
    """A clerk of the office adds a 催办 step on the document's form, naming his own unit (as the
    steps the workflow writes name the actor's): every handling unit's users who may read documents
    hear it, in their language, with the step's opinion; not another unit's, not the office's own."""
    doc = urged_doc["doc"]
    clerk = as_role("clerk", "en")
    form = clerk.get(f"/documentstepview/add?_flt_0_document={doc}").get_data(as_text=True)
    assert 'value="CUIBAN"' in form                      # the lookup offers it on the form
    answer = clerk.post("/documentstepview/add", data={
        "document": str(doc), "step_type": "CUIBAN", "actor": "督查员", "department": str(_unit(app)),
        "opinion": "请于本周内报送办理情况", "acted_at": "2026-07-06 09:00:00"})
    assert answer.status_code == 302, alerts(answer.get_data(as_text=True))
    for who in ("lead", "co"):
        (note,) = _notes(app, urged_doc[who], URGED)
        assert (note.entity, note.record_id) == ("Document", doc)
        assert json.loads(note.detail) == {"entity": "Document", "opinion": "请于本周内报送办理情况",
                                           "title": f"催办来文{urged_doc['tag']}"}
    for who in (urged_doc["blind"], urged_doc["other"], "clerk", "manager"):
        assert _notes(app, who, URGED) == [], who
    from tests.conftest import login

    reader = login(app.test_client(), urged_doc["lead"], lang=lang)
    (shown,) = [n for n in reader.get("/notifications/latest").get_json()["notes"] if urged_doc["tag"] in n["text"]]
    assert words in shown["text"] and "请于本周内报送办理情况" in shown["text"]
    opened = reader.get(shown["url"])
    assert opened.status_code == 302 and opened.location.endswith(f"/documentview/show/{doc}")


def test_a_documents_urge_naming_a_handling_unit_tells_that_unit_only(app, urged_doc):
    _urge(app, urged_doc["doc"], department_id=urged_doc["co_unit"])
    assert len(_notes(app, urged_doc["co"], URGED)) == 1
    assert _notes(app, urged_doc["lead"], URGED) == []
    # each step is told once: a second 催办 is news again, an edit of the first is not
    step = _urge(app, urged_doc["doc"], department_id=urged_doc["co_unit"], opinion="再次催办")
    with app.app_context():
        db.session.get(DocumentStep, step).opinion = "再次催办，请今日答复"
        db.session.commit()
    notes = _notes(app, urged_doc["co"], URGED)
    assert len(notes) == 2 and json.loads(notes[1].detail)["opinion"] == "再次催办"


@pytest.mark.parametrize("lang, words", [("zh", "市政府办公厅催办：无主办来文"),
                                         ("en", "Urged (催办) by the general office: 无主办来文")])
def test_a_document_without_handling_rows_urges_its_lead_unit(app, urged_doc, lang, words):
    from flask_babel import force_locale

    from app.reminders.kinds import text_of

    tag = urged_doc["tag"]
    with app.app_context():                  # the document and its 催办 in one save (a script, an import)
        doc = Document(direction="INCOMING", status="HANDLING", title=f"无主办来文{tag}", receive_no=f"SW2-{tag}",
                       lead_department_id=urged_doc["lead_unit"], doc_type="TONGZHI", writing_direction="XIAXING")
        db.session.add(DocumentStep(document=doc, step_type="CUIBAN", actor="督查员"))
        db.session.commit()
        pk = doc.id
    (note,) = _notes(app, urged_doc["lead"], URGED)
    assert note.record_id == pk and _notes(app, urged_doc["co"], URGED) == []
    with app.test_request_context(), force_locale("en" if lang == "en" else "zh_Hans_CN"):
        text = text_of(note.kind, note.detail)
    assert text.startswith(words) and "（" not in text and " — " not in text     # no opinion: none shown


def test_other_steps_and_finished_or_trashed_documents_tell_nobody(app, urged_doc):
    doc = urged_doc["doc"]
    _urge(app, doc, step_type="CHENGBAN", department_id=urged_doc["lead_unit"])  # not a 催办
    with app.app_context():
        step = make(db.session, DocumentStep, document_id=doc, step_type="CUIBAN", is_deleted=True)
        db.session.commit()                                                      # saved straight into the trash
        assert step.id
        finished = make(db.session, Document, direction="INCOMING", status="DONE", doc_type="TONGZHI",
                        title=f"已办结来文{urged_doc['tag']}", receive_no=f"SW3-{urged_doc['tag']}",
                        lead_department_id=urged_doc["lead_unit"])
        db.session.commit()
        finished_id = finished.id
    _urge(app, finished_id)                              # nothing left to hurry
    with app.app_context():
        db.session.get(Document, doc).is_deleted = True
        db.session.commit()
    _urge(app, doc)                                      # a document in the trash
    for who in ("lead", "co", "blind", "other"):
        assert _notes(app, urged_doc[who], URGED) == [], who


def test_a_supervision_urge_still_reads_as_the_supervision_offices(app, items):
    from flask_babel import force_locale

    from app.reminders.kinds import text_of

    unit = _unit(app)
    with app.app_context():
        db.session.add(UrgeRecord(item=db.session.get(SupervisionItem, items["soon"]), department_id=unit,
                                  method="DIANHUA"))
        db.session.commit()
    (note,) = _notes(app, "clerk", URGED)
    assert "entity" not in json.loads(note.detail)
    with app.test_request_context(), force_locale("en"):
        assert text_of(note.kind, note.detail).startswith("Urged by the supervision office (Telephone)")


# --- the day's digest entry ------------------------------------------------------------------------
def _unread_by_kind(app, username: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for note in _notes(app, username):
        if note.read_at is None and note.kind != DIGEST:
            counts[note.kind] = counts.get(note.kind, 0) + 1
    return counts


@pytest.mark.parametrize("lang, words", [("zh", "今日：{soon} 件即将到期，{late} 件已逾期"),
                                         ("en", "Today: {soon} {fall} due soon, {late} overdue")])
def test_the_daily_run_ends_with_each_users_digest_entry_once_a_day(app, as_role, items, lang, words):
    """(The items of earlier tests are still due: the clerk may be told of several of each.)"""
    counts = _run(app)
    (digest,) = _notes(app, "clerk", DIGEST)
    detail = json.loads(digest.detail)
    assert detail["counts"] == _unread_by_kind(app, "clerk") and set(detail["counts"]) == {DUE_SOON, OVERDUE}
    soon, late = detail["counts"][DUE_SOON], detail["counts"][OVERDUE]
    assert soon >= 1 and late >= 1 and detail["total"] == soon + late
    assert digest.key.endswith(MONDAY.isoformat()) and digest.record_id is None and digest.entity is None
    assert counts[DIGEST] >= 2 and len(_notes(app, "manager", DIGEST)) == 1
    _run(app)                                              # the same day again: no second entry
    assert len(_notes(app, "clerk", DIGEST)) == 1
    client = as_role("clerk", lang)
    latest = client.get("/notifications/latest").get_json()
    (shown,) = [n for n in latest["notes"] if n["url"].endswith(f"/{digest.id}")]
    assert shown["text"] == words.format(soon=soon, late=late, fall="falls" if soon == 1 else "fall") and shown["kind"]
    opened = client.get(shown["url"])                      # no record: the notifications page
    assert opened.status_code == 302 and opened.location.endswith("/notifications/")
    assert client.get("/notifications/latest").get_json()["unread"] == latest["unread"] - 1


def test_the_next_days_entry_replaces_an_unread_one(app, items):
    _run(app)
    _run(app, MONDAY + dt.timedelta(days=1))
    first, second = _notes(app, "clerk", DIGEST)
    assert first.read_at is not None and second.read_at is None
    assert second.key.endswith((MONDAY + dt.timedelta(days=1)).isoformat())


def test_no_digest_entry_for_who_switched_it_off_or_has_no_news(app, as_role, items):
    client = as_role("clerk", "en")
    page = client.get("/notifications/choices").get_data(as_text=True)
    assert "Daily digest of what waits for me" in page and f'name="{DIGEST}:app"' in page
    assert f'name="{DIGEST}:mail"' not in page             # told in the app only
    form = {f"{kind}:{way}": "1" for kind in (DUE_SOON, OVERDUE) for way in ("app", "mail")}
    client.post("/notifications/choices", data=form)
    _run(app)
    assert _notes(app, "clerk", DIGEST) == [] and _notes(app, "clerk", OVERDUE)
    assert len(_notes(app, "manager", DIGEST)) == 1
    # the manager's unread are more than a day old: nothing new, no entry for the next day
    with app.app_context():
        user = app.appbuilder.sm.find_user("manager")
        for note in db.session.query(Notification).filter_by(user_id=user.id):
            note.created_at -= dt.timedelta(days=2)
        db.session.commit()
    _run(app, MONDAY + dt.timedelta(days=1))
    assert len(_notes(app, "manager", DIGEST)) == 1
    # news, but all read: nothing waits, no entry
    with app.app_context():
        user = app.appbuilder.sm.find_user("leader")
        assert _notes(app, "leader")
        for note in db.session.query(Notification).filter_by(user_id=user.id):
            note.read_at = note.created_at
        db.session.commit()
    _run(app, MONDAY + dt.timedelta(days=2))
    assert not [n for n in _notes(app, "leader", DIGEST) if n.key.endswith((MONDAY + dt.timedelta(days=2)).isoformat())]


def test_the_digest_entries_take_a_few_statements_whatever_the_number_of_users(app, items):
    """One GROUP BY for every user's counts, one read of who switched it off, the write: not a
    query per user."""
    from sqlalchemy import event

    from app.reminders.run import digest_entries

    _run(app)
    with app.app_context():
        db.session.query(Notification).filter_by(kind=DIGEST).delete()
        db.session.commit()
        statements = []
        engine = db.session.get_bind()

        def count(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            told = digest_entries(db.session, MONDAY)
            db.session.commit()
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert told >= 3 and len(statements) <= 6

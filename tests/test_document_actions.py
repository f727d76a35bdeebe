"""What issue 23 asked of documents (docs/domain.md §3): a normative document's period of validity and
its 废止 / 撤销 with who, when, why and on what basis; 解密 / 降密 as an audited action (an edit may
only raise the level); the automatic 催办 of the daily run. Each through the HTTP workflow endpoints,
each refusal changing nothing. (签收 before 登记 and 用印 before 印发 are walked in
tests/test_workflow_documents.py.)"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import views  # noqa: F401
from app.extensions import db
from app.reminders.run import daily
from models.base import today_cn
from models.documents import Document, DocumentStep, latest_expiry
from models.org import Department, Personnel
from models.workflow import StatusLog
from tests.factories import make
from tests.helpers import api_client, version_of
from tests.helpers import new_record as _new
from tests.helpers import saved as _get
from tests.pages import alerts


def _uid() -> str:
    return uuid.uuid4().hex[:8]


def _fire(app, username, pk, name, **body):
    client, headers = api_client(app, username, "en")
    return client.post(f"/api/v1/document/{pk}/transition/{name}", json=body, headers=headers)


def _put(app, username, pk, **values):
    client, headers = api_client(app, username, "en")
    return client.put(f"/api/v1/document/{pk}", json={"row_version": version_of(app, Document, pk), **values},
                      headers=headers)


def _steps(app, pk) -> list[tuple[str, str | None, str | None]]:
    with app.app_context():
        return [(s.step_type, s.actor, s.opinion) for s in db.session.query(DocumentStep).filter_by(document_id=pk)
                .order_by(DocumentStep.id)]


def _log(app, pk) -> list[tuple[str, str | None, str | None]]:
    with app.app_context():
        return [(r.transition, r.from_state, r.to_state) for r in db.session.query(StatusLog)
                .filter_by(entity="Document", record_id=pk).order_by(StatusLog.id)]


def _normative(app, status="PUBLISHED", **values) -> int:
    """An outgoing normative document, issued (印发) unless another status is given."""
    with app.app_context():
        issuer = make(db.session, Department, unit_type="MUNI_DEPT", name_zh=f"制发机关{_uid()}")
        doc = make(db.session, Document, **{
            "direction": "OUTGOING", "status": status, "title": f"测试规范性文件{_uid()}", "doc_type": "TONGZHI",
            "writing_direction": "XIAXING", "issuer": issuer, "signer": "王市长", "is_normative": True,
            "legality_reviewed": True, "publish_to_gazette": True, "disclosure": "ZHUDONG",
            "doc_no_prefix": f"规{_uid()}", "doc_no_year": 2026, "doc_no_seq": 1,
            "printed_date": dt.date(2026, 3, 1), **values})
        db.session.commit()
        return doc.id


# --- a normative document's validity -----------------------------------------------------------------
def test_an_issued_normative_document_is_in_force_for_five_years_from_its_printing(app):
    pk = _normative(app)
    doc = _get(app, Document, pk)
    assert (doc.effective_date, doc.expiry_date, doc.validity) == (dt.date(2026, 3, 1), dt.date(2031, 2, 28), "VALID")
    assert latest_expiry(dt.date(2024, 2, 29)) == dt.date(2029, 2, 27)
    draft = _normative(app, status="SIGNED", doc_no_prefix=None, doc_no_year=None, doc_no_seq=None)
    assert _get(app, Document, draft).validity is None        # not in force before it is issued


def test_a_period_longer_than_five_years_or_ending_before_it_begins_is_refused(app, as_role):
    pk = _normative(app)
    response = _put(app, "clerk", pk, effective_date="2026-03-01", expiry_date="2031-03-01")
    assert response.status_code == 422, response.json
    assert "at most 5 years: until 2031-02-28 at the latest" in str(response.json)
    response = _put(app, "clerk", pk, expiry_date="2026-02-01")
    assert response.status_code == 422 and "cannot expire before it takes effect" in str(response.json)
    assert _get(app, Document, pk).expiry_date == dt.date(2031, 2, 28)
    assert _put(app, "clerk", pk, expiry_date="2028-02-29").status_code == 200   # a shorter period is the clerk's
    assert _get(app, Document, pk).validity == "VALID"


def test_the_daily_run_marks_a_normative_document_past_its_last_day_expired(app):
    pk = _normative(app, printed_date=dt.date(2026, 1, 5), effective_date=dt.date(2026, 1, 5),
                    expiry_date=dt.date(2026, 6, 30))
    assert _get(app, Document, pk).validity == "EXPIRED"     # its last day is past already
    with app.app_context():
        doc = db.session.get(Document, pk)
        doc.expiry_date = dt.date(2099, 1, 1) - dt.timedelta(days=1)
        doc.effective_date = dt.date(2095, 1, 1)
        db.session.commit()
        assert db.session.get(Document, pk).validity == "VALID"
    with app.app_context():
        counts = daily(db.session, dt.date(2099, 1, 1), send_mail=False)
    assert counts["NORMATIVE_EXPIRED"] >= 1 and _get(app, Document, pk).validity == "EXPIRED"


# --- 废止 / 撤销 ---------------------------------------------------------------------------------------
def test_a_repealed_normative_document_shows_who_repealed_it_when_and_why(app, as_role):
    pk = _normative(app)
    response = _fire(app, "clerk", pk, "repeal", validity_basis="厦府〔2026〕9号", validity_reason="已被新规定取代")
    assert response.status_code == 403                       # a division head or a leader decides
    response = _fire(app, "manager", pk, "repeal", validity_basis="厦府〔2026〕9号")
    assert response.status_code == 422 and "Reason for the repeal / revocation" in str(response.json)
    response = _fire(app, "manager", pk, "repeal", validity_reason="已被新规定取代")
    assert response.status_code == 422 and "Basis of the repeal / revocation" in str(response.json)
    assert _get(app, Document, pk).validity == "VALID" and _log(app, pk) == []

    response = _fire(app, "manager", pk, "repeal", validity_basis="厦府〔2026〕9号",
                     validity_reason="已被《厦门市新规定》取代")
    assert response.status_code == 200, response.json
    assert response.json["state"] == "PUBLISHED"              # the document stays where its handling is
    doc = _get(app, Document, pk)
    assert (doc.status, doc.validity, doc.validity_basis) == ("PUBLISHED", "REPEALED", "厦府〔2026〕9号")
    assert doc.validity_changed_by.startswith("manager") and doc.validity_changed_at is not None
    assert _log(app, pk) == [("repeal", "PUBLISHED", "PUBLISHED")]
    assert _steps(app, pk)[-1][0] == "FEIZHI"
    assert _steps(app, pk)[-1][2] == "已被《厦门市新规定》取代（依据：厦府〔2026〕9号）"

    page = as_role("manager", "zh").get(f"/documentview/show/{pk}").get_data(as_text=True)
    for shown in ("已废止", doc.validity_changed_by, f"{doc.validity_changed_at:%Y-%m-%d %H:%M}", "厦府〔2026〕9号",
                  "已被《厦门市新规定》取代"):
        assert shown in page, shown
    assert 'data-transition="repeal"' not in page and 'data-transition="revoke"' not in page   # no button left

    # once: neither repealed again nor revoked afterwards
    for name in ("repeal", "revoke"):
        response = _fire(app, "leader", pk, name, validity_basis="厦府〔2026〕10号", validity_reason="再次")
        assert response.status_code == 403, name
        assert response.json["message"][0].startswith("This normative document is already Repealed")
    doc = _get(app, Document, pk)
    assert (doc.validity, doc.validity_basis) == ("REPEALED", "厦府〔2026〕9号") and len(_log(app, pk)) == 1


def test_a_revoked_normative_document_is_listed_by_its_validity(app, as_role):
    title = f"撤销测试{_uid()}"
    pk = _normative(app, status="ARCHIVED", archive_no=f"档{_uid()}", title=title)
    kept = _normative(app, title=f"{title}有效")
    response = _fire(app, "leader", pk, "revoke", validity_basis="省政府办公厅闽政办函〔2026〕3号",
                     validity_reason="制定程序违法，依法撤销")
    assert response.status_code == 200, response.json
    doc = _get(app, Document, pk)
    assert (doc.status, doc.validity) == ("ARCHIVED", "REVOKED") and doc.validity_changed_by.startswith("leader")
    assert _steps(app, pk)[-1][0] == "CHEXIAO"
    listed = as_role("manager", "en").get(f"/documentview/list/?_flt_0_title={title}&_flt_0_validity=REVOKED")
    page = listed.get_data(as_text=True)
    assert doc.title in page and f"{title}有效" not in page
    assert _get(app, Document, kept).validity == "VALID"


def test_repeal_is_refused_on_a_document_not_normative_or_not_yet_issued(app, as_role):
    body = {"validity_basis": "厦府〔2026〕9号", "validity_reason": "不再适用"}
    plain = _normative(app, is_normative=False, legality_reviewed=False)
    response = _fire(app, "manager", plain, "repeal", **body)
    assert response.status_code == 409
    assert response.json["message"] == ["“Repeal” does not apply to this record: only where Document direction: "
                                        "Outgoing; Normative document: Yes."]
    signed = _normative(app, status="SIGNED", doc_no_prefix=None, doc_no_year=None, doc_no_seq=None)
    response = _fire(app, "manager", signed, "revoke", **body)
    assert response.status_code == 409 and "while the record is “Signed”" in response.json["message"][0]
    page = as_role("manager", "en").get(f"/documentview/show/{signed}").get_data(as_text=True)
    assert 'data-transition="repeal"' not in page
    for pk in (plain, signed):
        doc = _get(app, Document, pk)
        assert (doc.validity, doc.validity_basis) == (None, None) and _log(app, pk) == []


def test_a_plain_edit_cannot_repeal(app):
    pk = _normative(app)
    response = _put(app, "clerk", pk, validity_basis="厦府〔2026〕9号", validity_reason="改字段")
    assert response.status_code == 422
    assert response.json["message"]["validity_basis"] == [
        "Written only by the action “Repeal” (repeal) / “Revoke” (revoke): POST …/transition/<name>."]
    assert _get(app, Document, pk).validity_basis is None


def test_the_edit_form_leaves_what_only_an_action_writes_to_the_actions_form(app, as_role):
    """The approver and basis of a declassification, the basis and reason of a repeal: shown on
    the record page, asked by the action's own form (with its search-as-you-type approver), not
    offered by the edit form where a change could only be refused."""
    pk = _classified(app)
    approver = _new(app, Personnel, name=f"王定密{_uid()}")
    manager = as_role("manager", "zh")
    edit = as_role("clerk", "zh").get(f"/documentview/edit/{pk}").get_data(as_text=True)
    for name in ("declassify_approver", "declassify_basis", "declassified_on", "validity_basis", "validity_reason"):
        assert f'name="{name}"' not in edit, name
    assert 'name="secrecy_level"' in edit                     # an edit may still raise the level
    step = manager.get(f"/documentview/transition/{pk}/declassify").get_data(as_text=True)
    for name in ("secrecy_level", "declassify_approver", "declassify_basis", "declassified_on"):
        assert f'name="{name}"' in step, name
    found = manager.get("/documentview/choices/declassify_approver",
                        query_string={"form": "step", "q": "王定密"}).json
    assert str(approver) in [r["id"] for r in found["results"]]
    assert "保密期限届满" not in manager.get(f"/documentview/show/{pk}").get_data(as_text=True)


# --- 解密 / 降密 ---------------------------------------------------------------------------------------
def _classified(app) -> int:
    return _new(app, Document, direction="INCOMING", status="REGISTERED", receive_no=f"收{_uid()}",
                title=f"涉密来文{_uid()}", secrecy_level="MIMI", copy_no="000012", doc_type="TONGZHI")


def test_an_edit_may_raise_the_level_but_never_lower_it(app):
    pk = _classified(app)
    response = _put(app, "clerk", pk, secrecy_level="NEIBU")
    assert response.status_code == 422
    assert "lowered only by the action “Declassify / downgrade”" in str(response.json)
    assert _get(app, Document, pk).secrecy_level == "MIMI"
    assert _put(app, "clerk", pk, secrecy_level="JIMI").status_code == 200
    assert _get(app, Document, pk).secrecy_level == "JIMI"
    response = _put(app, "clerk", pk, declassify_basis="自行填写")
    assert response.status_code == 422 and "Written only by the action “Declassify / downgrade” (declassify)" \
        in str(response.json)
    assert _get(app, Document, pk).declassify_basis is None


def test_declassifying_records_the_approver_and_basis_and_frees_the_stub(app, as_role):
    pk = _classified(app)
    approver = _new(app, Personnel, name=f"李秘书长{_uid()}")
    assert _fire(app, "clerk", pk, "declassify", secrecy_level="NEIBU", declassify_approver_id=approver,
                 declassify_basis="保密期限届满").status_code == 403
    response = _fire(app, "manager", pk, "declassify", secrecy_level="JIMI", declassify_approver_id=approver,
                     declassify_basis="保密期限届满")
    assert response.status_code == 422 and "choose one below Confidential" in response.json["message"][0]
    response = _fire(app, "manager", pk, "declassify", secrecy_level="NEIBU", declassify_basis="保密期限届满")
    assert response.status_code == 422 and "Declassification approved by" in str(response.json)
    assert _get(app, Document, pk).secrecy_level == "MIMI" and _log(app, pk) == []

    manager = as_role("manager", "en")
    page = manager.post(f"/documentview/transition/{pk}/declassify",
                        data={"secrecy_level": "NEIBU", "declassify_approver": str(approver),
                              "declassify_basis": "经定密责任人审核，保密期限届满", "declassified_on": "2026-11-30"},
                        follow_redirects=True).get_data(as_text=True)
    # done; the only other word is the nudge to name who needs to know the record now at 内部 (§9)
    assert not [m for m in alerts(page) if "Done" not in m and "need-to-know" not in m], alerts(page)
    doc = _get(app, Document, pk)
    assert (doc.secrecy_level, doc.declassified_from, doc.declassified_on, doc.declassify_approver_id) == (
        "NEIBU", "MIMI", dt.date(2026, 11, 30), approver)
    assert _log(app, pk) == [("declassify", "REGISTERED", "REGISTERED")]
    step_type, _actor, opinion = _steps(app, pk)[-1]
    assert step_type == "JIEMI" and opinion.startswith("秘密→内部；自2026-11-30起；批准人：李秘书长")
    with app.app_context():
        from models.audit import AuditLog

        audited = db.session.query(AuditLog).filter_by(entity="Document", record_id=pk).order_by(AuditLog.id).all()
        assert any("secrecy_level" in (row.changes or {}) and "declassify_basis" in (row.changes or {})
                   for row in audited)
    # no longer a stub: an internal document may carry its body (涉密不上网 no longer applies)
    assert _put(app, "clerk", pk, body="正文可以录入了。").status_code == 200
    # a second downgrade needs its own basis
    response = _fire(app, "manager", pk, "declassify", secrecy_level="FEIMI", declassify_approver_id=approver)
    assert response.status_code == 422 and "basis of this declassification" in response.json["message"][0]
    assert _fire(app, "manager", pk, "declassify", secrecy_level="FEIMI", declassify_approver_id=approver,
                 declassify_basis="已公开发布").status_code == 200
    doc = _get(app, Document, pk)
    assert (doc.secrecy_level, doc.declassified_from, doc.declassified_on) == ("FEIMI", "NEIBU", today_cn())


def test_the_declassification_names_no_approver_from_outside_the_users_scope(app):
    """The approver is a step-only link: the step checks it as every save checks a link."""
    from app.registry.spec import REGISTRY
    from tests.test_scope import _foreign_record

    pk = _classified(app)
    foreign, _version = _foreign_record(app, REGISTRY[Personnel])
    response = _fire(app, "manager", pk, "declassify", secrecy_level="NEIBU", declassify_approver_id=foreign,
                     declassify_basis="保密期限届满")
    assert response.status_code == 422 and "no such record among those you may use" in str(response.json)
    doc = _get(app, Document, pk)
    assert (doc.secrecy_level, doc.declassify_approver_id) == ("MIMI", None) and _log(app, pk) == []


# --- the automatic 催办 ---------------------------------------------------------------------------------
DAY = dt.date(2020, 1, 6)          # a Monday long past: only this test's documents are due around it


@pytest.fixture()
def due_docs(app):
    tag = _uid()
    values = {"direction": "INCOMING", "receive_no": None, "doc_type": "TONGZHI", "read_or_act": "BANJIAN"}
    with app.app_context():
        made = {}
        for key, status, due in [("tomorrow", "HANDLING", DAY + dt.timedelta(days=1)),
                                 ("overdue", "INSTRUCTED", DAY - dt.timedelta(days=3)),
                                 ("later", "HANDLING", DAY + dt.timedelta(days=20)),
                                 ("done", "DONE", DAY - dt.timedelta(days=3)),
                                 ("trashed", "HANDLING", DAY)]:
            doc = make(db.session, Document, **{**values, "status": status, "due_date": due,
                                                "receive_no": f"催{tag}{key}", "title": f"催办{key}{tag}"})
            made[key] = doc
        made["trashed"].is_deleted = True
        db.session.commit()
        return {key: doc.id for key, doc in made.items()}


def _cuiban(app, pk) -> list[tuple[str, str | None, str | None]]:
    return [s for s in _steps(app, pk) if s[0] == "CUIBAN"]


def test_the_daily_run_urges_incoming_documents_due_soon_or_overdue_once_a_day(app, due_docs):
    with app.app_context():
        counts = daily(db.session, DAY, send_mail=False)
    assert counts["DOCUMENT_URGED"] >= 2
    (_t, actor, opinion), = _cuiban(app, due_docs["tomorrow"])
    assert actor == "系统" and "剩余1个工作日" in opinion
    (_t, actor, opinion), = _cuiban(app, due_docs["overdue"])
    assert actor == "系统" and "已逾期3天" in opinion
    for key in ("later", "done", "trashed"):
        assert _cuiban(app, due_docs[key]) == [], key
    with app.app_context():
        daily(db.session, DAY, send_mail=False)             # the same day again: nothing more
    assert len(_cuiban(app, due_docs["tomorrow"])) == 1 and len(_cuiban(app, due_docs["overdue"])) == 1
    with app.app_context():
        daily(db.session, DAY + dt.timedelta(days=1), send_mail=False)   # the next day: once more
    assert len(_cuiban(app, due_docs["overdue"])) == 2


def test_the_urging_horizon_is_the_setting(app, due_docs):
    from app.settings import forget_settings
    from models.settings import Setting

    with app.app_context():
        db.session.add(Setting(key="DOCUMENT_URGE_DAYS", value="0", value_type="int", label_zh="x", label_en="x"))
        db.session.commit()
        forget_settings()
        try:
            daily(db.session, DAY, send_mail=False)
        finally:
            db.session.query(Setting).filter_by(key="DOCUMENT_URGE_DAYS").delete()
            db.session.commit()
            forget_settings()
    assert _cuiban(app, due_docs["tomorrow"]) == []         # due tomorrow is beyond 0 working days
    assert len(_cuiban(app, due_docs["overdue"])) == 1


def test_the_dashboard_counts_normative_documents_by_validity(app, as_role):
    pk = _normative(app)
    response = _fire(app, "leader", pk, "repeal", validity_basis="厦府〔2026〕11号", validity_reason="已过时")
    assert response.status_code == 200
    page = as_role("leader", "en").get("/").get_data(as_text=True)
    assert "Normative documents by validity" in page and "Repealed" in page and "_flt_0_validity=REPEALED" in page
    page = as_role("leader", "zh").get("/").get_data(as_text=True)
    assert "规范性文件效力状态" in page and "已废止" in page

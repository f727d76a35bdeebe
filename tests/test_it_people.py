"""Informatization projects and retirees: their rules refuse a bad save through the form
and through the API, and nothing is written; good records are accepted."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.spec import entity_for
from models.base import today_cn
from models.it import ITProject, ITProjectMilestone, it_project_problems, milestone_problems
from models.org import Personnel
from models.people import Retiree, RetireeVisit, retiree_problems, visit_problems
from tests.factories import form_data, make
from tests.helpers import api_client as _api
from tests.helpers import count as _count
from tests.helpers import version_of
from tests.pages import alerts

_serial = iter(range(1, 10**6))


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


# --- helpers --------------------------------------------------------------------------------

def _api_url(model) -> str:
    return f"/api/v1/{entity_for(model).slug}/"


def _form_url(model, action: str = "add", pk=None) -> str:
    base = f"/{model.__name__.lower()}view/{action}"
    return f"{base}/{pk}" if pk is not None else base



def _form_template(app, model, **values) -> dict:
    """What a clerk types in the add form for a valid record (the template is removed again)."""
    with app.app_context():
        obj = make(db.session, model, **values)
        data = form_data(entity_for(model), obj)
        db.session.delete(obj)
        db.session.commit()
    return data


def _refused_by_form(app, as_role, model, data: dict, message: str, **by) -> None:
    response = as_role("clerk", lang="en").post(_form_url(model), data=data)
    assert response.status_code == 200
    assert message in alerts(response.data.decode())
    assert _count(app, model, **by) == 0


def _refused_by_api(app, model, body: dict, message: str, **by) -> None:
    client, headers = _api(app)
    response = client.post(_api_url(model) + "?_l_=en", json=body, headers=headers)  # messages in English
    assert response.status_code == 422, response.json
    assert any(message in m for m in response.json["message"]["rules"])
    assert _count(app, model, **by) == 0


def _accepted_by_api(app, model, body: dict) -> int:
    client, headers = _api(app)
    response = client.post(_api_url(model), json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


# --- IT projects: money -------------------------------------------------------------------------
PAID_OVER_CONTRACT = "cannot exceed the contract amount"
CONTRACT_OVER_BUDGET = "cannot exceed the approved budget"


def test_form_refuses_payment_above_contract(app, as_role):
    code = _unique("FORM-PAY-")
    data = _form_template(app, ITProject, code=_unique("TPL-"))
    data.update(code=code, name="付款超合同项目", budget_approved="500.00", contract_amount="480.00",
                paid_amount="481.50")
    _refused_by_form(app, as_role, ITProject, data,
                     "The amount paid (481.50) cannot exceed the contract amount (480.00), in 10k yuan.", code=code)


def test_form_refuses_contract_above_budget_in_chinese_too(app, as_role):
    code = _unique("FORM-CON-")
    data = _form_template(app, ITProject, code=_unique("TPL-"))
    data.update(code=code, name="合同超批复项目", budget_approved="300.00", contract_amount="300.01")
    response = as_role("clerk", lang="zh").post(_form_url(ITProject), data=data)
    assert response.status_code == 200
    assert alerts(response.data.decode())  # the reason is shown (in the catalog's language)
    assert "合同超批复项目" in response.data.decode()  # what the clerk typed is kept
    assert _count(app, ITProject, code=code) == 0


def test_api_refuses_money_out_of_order_and_accepts_it_in_order(app):
    code = _unique("API-MONEY-")
    body = {"code": code, "name": "接口资金校验项目", "project_type": "XINJIAN",
            "budget_approved": 200, "contract_amount": 250, "paid_amount": 10}
    _refused_by_api(app, ITProject, body, CONTRACT_OVER_BUDGET, code=code)
    _refused_by_api(app, ITProject, {**body, "contract_amount": 150, "paid_amount": 151}, PAID_OVER_CONTRACT,
                    code=code)
    _refused_by_api(app, ITProject, {**body, "contract_amount": None, "paid_amount": 201}, CONTRACT_OVER_BUDGET,
                    code=code)
    _refused_by_api(app, ITProject, {**body, "contract_amount": 150, "paid_amount": -1}, "cannot be negative",
                    code=code)
    pk = _accepted_by_api(app, ITProject, {**body, "contract_amount": 200, "paid_amount": 200})
    with app.app_context():
        saved = db.session.get(ITProject, pk)
        assert (saved.budget_approved, saved.contract_amount, saved.paid_amount) == (
            Decimal("200.00"), Decimal("200.00"), Decimal("200.00"))


def test_edit_refused_leaves_the_project_as_it_was(app, as_role):
    with app.app_context():
        project = make(db.session, ITProject, code=_unique("EDIT-"), name="编辑前项目",
                       budget_approved=Decimal("100.00"), contract_amount=Decimal("90.00"))
        db.session.commit()
        pk, version = project.id, project.row_version
        data = form_data(entity_for(ITProject), project)
    data.update(name="编辑后项目", paid_amount="95.00")
    response = as_role("clerk", lang="en").post(_form_url(ITProject, "edit", pk), data=data)
    assert response.status_code == 200
    assert any(PAID_OVER_CONTRACT in a for a in alerts(response.data.decode()))
    with app.app_context():
        saved = db.session.get(ITProject, pk)
        assert (saved.name, saved.paid_amount, saved.row_version) == ("编辑前项目", None, version)


# --- IT projects: dates --------------------------------------------------------------------------
GO_LIVE = "The go-live date cannot be earlier than the start date."
FINAL = "The final acceptance date cannot be earlier than the preliminary acceptance date."


def test_form_refuses_go_live_before_start(app, as_role):
    code = _unique("FORM-LIVE-")
    data = _form_template(app, ITProject, code=_unique("TPL-"))
    data.update(code=code, name="上线早于开工项目", start_date="2026-03-01", go_live_date="2026-02-27")
    _refused_by_form(app, as_role, ITProject, data, GO_LIVE, code=code)


def test_api_refuses_go_live_before_start(app):
    code = _unique("API-LIVE-")
    body = {"code": code, "name": "接口上线日期项目", "project_type": "SHENGJI",
            "start_date": "2026-03-01", "go_live_date": "2026-02-01"}
    _refused_by_api(app, ITProject, body, GO_LIVE, code=code)
    _accepted_by_api(app, ITProject, {**body, "go_live_date": "2026-03-01"})  # the same day is fine
    assert _count(app, ITProject, code=code) == 1


def test_form_refuses_final_acceptance_before_preliminary(app, as_role):
    code = _unique("FORM-ACC-")
    data = _form_template(app, ITProject, code=_unique("TPL-"))
    data.update(code=code, name="终验早于初验项目", prelim_acceptance_date="2026-06-10",
                final_acceptance_date="2026-06-09")
    _refused_by_form(app, as_role, ITProject, data, FINAL, code=code)


def test_api_refuses_final_acceptance_before_preliminary(app):
    code = _unique("API-ACC-")
    body = {"code": code, "name": "接口验收日期项目", "project_type": "XINJIAN",
            "prelim_acceptance_date": "2026-06-10", "final_acceptance_date": "2026-05-31"}
    _refused_by_api(app, ITProject, body, FINAL, code=code)


# --- IT projects: 等保 filing ---------------------------------------------------------------------
FILING = "A system at classified protection level 3 or above needs its filing number once it is operating."


def _project(app, status: str, **values) -> int:
    """A project that has reached `status` (stored directly: the steps before are not under test)."""
    with app.app_context():
        project = make(db.session, ITProject, code=_unique("DJCP-"), status=status, **values)
        db.session.commit()
        return project.id


def _project_state(app, pk: int) -> tuple:
    with app.app_context():
        project = db.session.get(ITProject, pk)
        return project.status, project.djcp_level, project.djcp_filing_no


def test_form_refuses_operating_level3_system_without_filing(app, as_role):
    client = as_role("clerk", lang="en")
    pk = _project(app, "ACCEPTED", djcp_level="2", djcp_filing_no=None)
    response = client.post(_form_url(ITProject, "transition", pk) + "/start_operation",
                           data={"djcp_level": "3", "djcp_filing_no": ""})
    assert response.status_code == 200
    assert FILING in alerts(response.data.decode())
    assert _project_state(app, pk) == ("ACCEPTED", "2", None)

    pk = _project(app, "OPERATING", djcp_level="3", djcp_filing_no="35020099001-26002")
    with app.app_context():
        data = form_data(entity_for(ITProject), db.session.get(ITProject, pk))
    data["djcp_filing_no"] = ""
    response = client.post(_form_url(ITProject, "edit", pk), data=data)
    assert response.status_code == 200
    assert FILING in alerts(response.data.decode())
    assert _project_state(app, pk) == ("OPERATING", "3", "35020099001-26002")


def test_api_filing_needed_only_from_level3_and_once_operating(app):
    client, headers = _api(app, "clerk", "en")

    def start_operation(pk, **body):
        return client.post(f"{_api_url(ITProject)}{pk}/transition/start_operation", json=body, headers=headers)

    level3 = _project(app, "ACCEPTED", djcp_level="3", djcp_filing_no=None)
    response = start_operation(level3)
    assert response.status_code == 422
    assert FILING in response.json["message"]
    assert _project_state(app, level3) == ("ACCEPTED", "3", None)
    # not yet running, or only level 2: no filing number needed
    code = _unique("API-DJCP-")
    _accepted_by_api(app, ITProject, {"code": code, "name": "接口等保备案项目", "project_type": "PINGTAI",
                                      "djcp_level": "3"})
    assert _count(app, ITProject, code=code, status="PROPOSED") == 1
    level2 = _project(app, "ACCEPTED", djcp_level="3", djcp_filing_no=None)
    assert start_operation(level2, djcp_level="2").status_code == 200
    assert _project_state(app, level2) == ("OPERATING", "2", None)
    assert start_operation(level3, djcp_filing_no="35020099001-26001").status_code == 200
    assert _project_state(app, level3) == ("OPERATING", "3", "35020099001-26001")
    # once running, the filing number cannot be removed
    response = client.put(f"{_api_url(ITProject)}{level3}", json={"djcp_filing_no": "",
                                                                  "row_version": version_of(app, ITProject, level3)},
                          headers=headers)
    assert response.status_code == 422
    assert any(FILING in m for m in response.json["message"]["rules"])
    assert _project_state(app, level3) == ("OPERATING", "3", "35020099001-26001")


# --- milestones -----------------------------------------------------------------------------------
def test_milestone_done_needs_its_actual_date(app, as_role):
    with app.app_context():
        project = make(db.session, ITProject, code=_unique("MS-"))
        db.session.commit()
        project_id = project.id
    data = _form_template(app, ITProjectMilestone, project_id=project_id)
    data.update(project=str(project_id), name="需求调研节点", status="DONE", actual_date="")
    _refused_by_form(app, as_role, ITProjectMilestone, data, "A milestone that is done needs its actual date.",
                     name="需求调研节点")
    body = {"project_id": project_id, "name": "接口节点", "status": "DONE"}
    _refused_by_api(app, ITProjectMilestone, body, "needs its actual date", name="接口节点")
    _accepted_by_api(app, ITProjectMilestone, {**body, "actual_date": "2026-04-01"})


# --- retirees: 离休 --------------------------------------------------------------------------------
LIXIU_LATE = "Lixiu is only for those who started working before 1 October 1949"


def test_form_refuses_lixiu_for_someone_who_started_after_1949(app, as_role):
    name = _unique("离休校验")
    data = _form_template(app, Retiree, name=_unique("模板"))
    data.update(name=name, retire_type="LIXIU", birth_date="1931-05-01", work_start_date="1949-10-01")
    response = as_role("clerk", lang="en").post(_form_url(Retiree), data=data)
    assert response.status_code == 200
    assert any(LIXIU_LATE in a and "1949-10-01" in a for a in alerts(response.data.decode()))
    assert _count(app, Retiree, name=name) == 0


def test_api_lixiu_needs_a_work_start_before_1949(app):
    name = _unique("接口离休")
    body = {"name": name, "retire_type": "LIXIU", "alive_status": "JIANZAI", "birth_date": "1930-02-01"}
    _refused_by_api(app, Retiree, body, "Lixiu requires the date the person started working", name=name)
    _refused_by_api(app, Retiree, {**body, "work_start_date": "1950-03-01"}, LIXIU_LATE, name=name)
    _accepted_by_api(app, Retiree, {**body, "work_start_date": "1949-09-30", "retire_date": "1990-02-28"})
    assert _count(app, Retiree, name=name) == 1


def test_lixiu_work_start_may_come_from_the_personnel_record(app):
    with app.app_context():
        person = make(db.session, Personnel, name="档案老同志", gender="1", birth_date=dt.date(1929, 4, 2),
                      work_start_date=dt.date(1947, 8, 1))
        db.session.commit()
        person_id = person.id
    pk = _accepted_by_api(app, Retiree, {"name": "档案老同志", "retire_type": "LIXIU", "alive_status": "JIANZAI",
                                         "personnel_id": person_id})
    with app.app_context():
        saved = db.session.get(Retiree, pk)
        assert (saved.work_start_date, saved.birth_date, saved.gender) == (dt.date(1947, 8, 1),
                                                                           dt.date(1929, 4, 2), "1")


# --- retirees: deceased ---------------------------------------------------------------------------
DEATH_DATE = "A deceased retiree needs the date of death."


def test_form_refuses_deceased_retiree_without_date_of_death(app, as_role):
    name = _unique("已故校验")
    data = _form_template(app, Retiree, name=_unique("模板"))
    data.update(name=name, alive_status="YIGU", date_of_death="")
    _refused_by_form(app, as_role, Retiree, data, DEATH_DATE, name=name)


def test_api_refuses_deceased_retiree_without_date_of_death(app):
    name = _unique("接口已故")
    body = {"name": name, "retire_type": "TUIXIU", "alive_status": "YIGU", "retire_date": "2001-05-31"}
    _refused_by_api(app, Retiree, body, DEATH_DATE, name=name)
    _refused_by_api(app, Retiree, {**body, "alive_status": "JIANZAI", "date_of_death": "2025-03-02"},
                    "Only a deceased retiree has a date of death", name=name)
    _accepted_by_api(app, Retiree, {**body, "date_of_death": "2025-03-02"})


# --- visits ---------------------------------------------------------------------------------------
NEGATIVE = "The amount of a visit cannot be negative."


def test_form_refuses_negative_visit_amount(app, as_role):
    with app.app_context():
        retiree = make(db.session, Retiree, name=_unique("慰问对象"))
        db.session.commit()
        retiree_id = retiree.id
    occasion = _unique("负数慰问")
    data = _form_template(app, RetireeVisit, retiree_id=retiree_id)
    data.update(retiree=str(retiree_id), occasion=occasion, amount="-500")
    _refused_by_form(app, as_role, RetireeVisit, data, NEGATIVE, occasion=occasion)


def test_api_refuses_negative_visit_amount(app):
    with app.app_context():
        retiree = make(db.session, Retiree, name=_unique("慰问对象"))
        db.session.commit()
        retiree_id = retiree.id
    occasion = _unique("接口慰问")
    body = {"retiree_id": retiree_id, "visit_date": "2026-02-10", "visit_type": "JIERI", "occasion": occasion,
            "amount": -0.01}
    _refused_by_api(app, RetireeVisit, body, NEGATIVE, occasion=occasion)
    _accepted_by_api(app, RetireeVisit, {**body, "amount": 0})  # a visit with gifts only


# --- the rules themselves (pure functions) ---------------------------------------------------------
@pytest.mark.parametrize(("values", "ok"), [
    ({"budget_approved": Decimal("100"), "contract_amount": Decimal("100"), "paid_amount": Decimal("100")}, True),
    ({"budget_approved": Decimal("100"), "contract_amount": Decimal("100.01")}, False),
    ({"contract_amount": Decimal("50"), "paid_amount": Decimal("50.01")}, False),
    ({"budget_approved": Decimal("50"), "paid_amount": Decimal("60")}, False),
    ({"start_date": dt.date(2026, 3, 1), "go_live_date": dt.date(2026, 3, 1)}, True),
    ({"prelim_acceptance_date": dt.date(2026, 5, 1), "final_acceptance_date": dt.date(2026, 4, 30)}, False),
    ({"djcp_level": "3", "status": "EVALUATED"}, False),
    ({"djcp_level": "3", "status": "RETIRED"}, True),
    ({"djcp_level": "4", "status": "OPERATING", "djcp_filing_no": "35020099001-26001"}, True),
])
def test_it_project_rule_table(values, ok):
    values = dict(values)
    project = ITProject(code="X", name="规则表", project_type="XINJIAN", status=values.pop("status", "BUILDING"),
                        **values)
    assert (it_project_problems(project) == []) is ok


def test_retiree_and_visit_rules_read_without_an_app():
    veteran = Retiree(name="甲", retire_type="LIXIU", alive_status="JIANZAI", work_start_date=dt.date(1949, 9, 30))
    assert retiree_problems(veteran) == []
    veteran.work_start_date = dt.date(1949, 10, 1)
    assert len(retiree_problems(veteran)) == 1
    late = Retiree(name="乙", retire_type="TUIXIU", alive_status="YIGU",
                   date_of_death=today_cn() + dt.timedelta(days=1))
    assert retiree_problems(late) != []
    assert visit_problems(RetireeVisit(amount=Decimal("-1"))) != []
    assert visit_problems(RetireeVisit(amount=Decimal("0"))) == []
    assert milestone_problems(ITProjectMilestone(name="节点", status="DONE")) != []

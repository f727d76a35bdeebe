"""The lookups are kept by each process between requests (models/cache_stamps.py): a change
made in the console, by another worker of the pool or by a script is seen at the next
request of every worker, and a write rolled back is never seen (issue 19)."""
from __future__ import annotations

import html
import json
import re
import uuid
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.extensions import db
from models.lookups import Lookup
from tests.conftest import login
from tests.helpers import filter_form


@pytest.fixture(scope="module")
def other_worker(app):
    """A second app on the same database: another gunicorn worker, with caches of its own."""
    from app import create_app

    keep = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "ATTACHMENT_DIR", "IMPORT_REPORT_DIR", "SQLITE_PRAGMAS",
            "FAB_PASSWORD_HASH_METHOD")
    worker = create_app(WTF_CSRF_ENABLED=False, AUTH_RATE_LIMITED=False, TESTING=True,
                        **{key: app.config[key] for key in keep if key in app.config})
    yield worker
    with worker.app_context():
        db.engine.dispose()


def _uid() -> str:
    return uuid.uuid4().hex[:6].upper()


def test_a_code_added_in_the_console_shows_on_another_worker_at_once(app, other_worker, as_role):
    clerk_elsewhere = login(other_worker.test_client(), "clerk")
    code, label = f"W{_uid()}", f"别处新增{_uid()}"
    assert label not in clerk_elsewhere.get("/hotlinecaseview/add").get_data(as_text=True)   # cached there
    as_role("admin").post("/console/lookups/new/", data={
        "category": "hotline_appeal_type", "code": code, "label_zh": label, "label_en": f"Elsewhere {code}",
        "sort": "990", "active": "y"}, follow_redirects=True)
    assert label in clerk_elsewhere.get("/hotlinecaseview/add").get_data(as_text=True)


def test_a_label_renamed_by_another_process_shows_at_the_next_request(app, other_worker, as_role):
    clerk = as_role("clerk")
    with app.app_context():
        row = db.session.scalar(select(Lookup).where(Lookup.category == "hotline_appeal_type",
                                                     Lookup.code == "ZIXUN"))
        before = row.label_zh
    assert before in clerk.get("/hotlinecaseview/add").get_data(as_text=True)
    renamed = f"咨询{_uid()}"
    with other_worker.app_context():              # a script or the other worker, through the ORM
        db.session.get(Lookup, row.id).label_zh = renamed
        db.session.commit()
    page = clerk.get("/hotlinecaseview/add").get_data(as_text=True)
    assert renamed in page and f">{before}<" not in page


def test_a_code_written_and_rolled_back_is_never_shown(app, as_role):
    clerk = as_role("clerk")
    clerk.get("/hotlinecaseview/add")
    label = f"回滚{_uid()}"
    with app.app_context():
        db.session.add(Lookup(category="hotline_appeal_type", code=f"R{_uid()}", label_zh=label,
                              label_en="Rolled back", sort=999, active=True))
        db.session.flush()
        from models.lookups import lookup_choices

        assert label in dict(lookup_choices("hotline_appeal_type")).values()   # its own transaction sees it
        db.session.rollback()
    assert label not in clerk.get("/hotlinecaseview/add").get_data(as_text=True)


def test_a_right_revoked_on_one_worker_is_refused_by_the_other_at_the_next_request(app, other_worker):
    """Rights are kept by each process too (app/security.py `RIGHTS`)."""
    clerk_elsewhere = login(other_worker.test_client(), "clerk", lang="en")
    assert clerk_elsewhere.get("/hotlinecaseview/list/").status_code == 200          # cached there
    with app.app_context():
        sm = app.appbuilder.sm
        clerk = sm.find_role("Clerk")
        (right,) = [pv for pv in clerk.permissions
                    if pv.permission.name == "can_read" and pv.view_menu.name == "HotlineCase"]
        clerk.permissions.remove(right)
        db.session.commit()
    answer = clerk_elsewhere.get("/hotlinecaseview/list/")
    assert answer.status_code in (302, 403), answer.status_code      # the baseline puts the right back


# --- a list's filter form (app/screens/search_form.py): drawn once, kept until its options change ---
def _filter_options(page: str) -> str:
    """The filter form as drawn: its labels, fields and operators (tests/helpers.py)."""
    return json.dumps(filter_form(page), ensure_ascii=False)


def test_a_unit_added_by_another_worker_is_offered_by_the_unit_filter_at_the_next_request(app, other_worker):
    """The unit filter is a search-as-you-type field (app/screens/pickers.py): its drawing is
    kept, what it finds is asked of the database at each keystroke."""
    from models.org import Department

    clerk_elsewhere = login(other_worker.test_client(), "clerk")

    def found(name: str) -> list[str]:
        page = clerk_elsewhere.get("/personnelview/list/").get_data(as_text=True)
        url = re.search(r'data-picker-url="([^"]+)"', filter_form(page)[1]["department"]).group(1)
        answer = clerk_elsewhere.get(f"{html.unescape(url)}&{urlencode({'q': name})}").get_json()
        return [row["text"] for row in answer["results"]]

    name = f"新设单位{_uid()}"
    assert found(name) == []
    with app.app_context():
        db.session.add(Department(name_zh=name, name_en=f"New unit {_uid()}", unit_type="MUNI_DEPT"))
        db.session.commit()
    assert found(name) == [name]


def test_a_code_added_in_the_console_is_offered_by_the_lists_filter_on_another_worker(app, other_worker, as_role):
    clerk_elsewhere = login(other_worker.test_client(), "clerk")
    code, label = f"F{_uid()}", f"筛选新增{_uid()}"
    assert label not in json_text(_filter_options(clerk_elsewhere.get("/hotlinecaseview/list/").get_data(as_text=True)))
    as_role("admin").post("/console/lookups/new/", data={
        "category": "hotline_appeal_type", "code": code, "label_zh": label, "label_en": f"Filter {code}",
        "sort": "991", "active": "y"}, follow_redirects=True)
    assert label in json_text(_filter_options(clerk_elsewhere.get("/hotlinecaseview/list/").get_data(as_text=True)))


def test_a_custom_field_offered_as_a_filter_shows_in_the_filter_form_of_another_worker(app, other_worker, as_role):
    from models.custom_fields import CustomField

    clerk_elsewhere = login(other_worker.test_client(), "clerk", lang="en")
    label = f"Contact {_uid()}"
    assert label not in _filter_options(clerk_elsewhere.get("/meetingview/list/").get_data(as_text=True))
    with app.app_context():
        db.session.add(CustomField(entity="Meeting", key=f"contact_{_uid().lower()}", label_zh="联系人",
                                   label_en=label, kind="TEXT", in_filter=True, position=1, active=True))
        db.session.commit()
    assert label in _filter_options(clerk_elsewhere.get("/meetingview/list/").get_data(as_text=True))


def test_the_kept_filter_form_speaks_each_users_language(app, as_role):
    zh = _filter_options(as_role("clerk", "zh").get("/personnelview/list/").get_data(as_text=True))
    en = _filter_options(as_role("manager", "en").get("/personnelview/list/").get_data(as_text=True))
    assert '"department": "Department"' in en and '"Equal to"' in en
    assert '"department": "Department"' not in zh and '"Equal to"' not in zh and "等于" in json_text(zh)


def json_text(script: str) -> str:
    """The script's JSON with its \\uXXXX escapes read back as characters."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda found: chr(int(found.group(1), 16)), script)


def test_a_custom_field_added_or_switched_off_in_the_console_reaches_the_forms_of_another_worker(
        app, other_worker, as_role):
    """The definitions are kept by each process (app/custom_fields.py): the console's change
    is on the other worker's next form, and so is switching the field off."""
    from models.custom_fields import CustomField

    clerk_elsewhere = login(other_worker.test_client(), "clerk", lang="en")
    key, label = f"desk_{_uid().lower()}", f"Desk {_uid()}"
    assert label not in clerk_elsewhere.get("/meetingview/add").get_data(as_text=True)     # kept there
    admin = as_role("admin", "en")
    admin.post("/console/custom-fields/new/", data={
        "entity": "Meeting", "key": key, "label_zh": "座位", "label_en": label, "kind": "TEXT",
        "lookup_category": "", "position": "5", "active": "y"}, follow_redirects=True)
    assert label in clerk_elsewhere.get("/meetingview/add").get_data(as_text=True)
    with app.app_context():
        pk = db.session.scalar(select(CustomField.id).where(CustomField.key == key))
    admin.post("/console/custom-fields/delete/", data={"id": pk}, follow_redirects=True)
    assert label not in clerk_elsewhere.get("/meetingview/add").get_data(as_text=True)


def test_a_request_reads_the_signed_in_user_with_his_roles_in_one_query(app, as_role):
    """The user, his roles and his groups: one round trip per request, not three."""
    from tests.test_record_page_reads import counted

    clerk = as_role("clerk")
    clerk.get("/meetingview/list/")
    with counted(app) as queries:
        assert clerk.get("/meetingview/list/").status_code == 200
    assert not [q for q in queries if "FROM ab_role, ab_user_role" in q or "FROM ab_group, ab_user_group" in q]


def test_a_custom_field_removed_by_a_bulk_statement_is_gone_from_the_next_form_of_every_worker(
        app, other_worker, as_role):
    """A script's `session.execute(delete(...))` flushes no object: the lifecycle still drops
    the kept definitions and raises their stamp (app/lifecycle `_drop_caches_of_bulk_writes`)."""
    from sqlalchemy import delete

    from models.custom_fields import CustomField

    key, label = f"bulk_{_uid().lower()}", f"Bulk {_uid()}"
    with app.app_context():
        db.session.add(CustomField(entity="Meeting", key=key, label_zh="批量", label_en=label, kind="TEXT",
                                   required=True, position=1, active=True))
        db.session.commit()
    here, elsewhere = as_role("clerk", "en"), login(other_worker.test_client(), "clerk", lang="en")
    assert label in here.get("/meetingview/add").get_data(as_text=True)
    assert label in elsewhere.get("/meetingview/add").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(CustomField).where(CustomField.key == key))
        db.session.commit()
    assert label not in here.get("/meetingview/add").get_data(as_text=True)
    assert label not in elsewhere.get("/meetingview/add").get_data(as_text=True)


# --- the unit tree and the function owners (app/registry/unit_tree.py), and the scope built from them ---
def _outside_person(worker, unit_name: str | None = None, parent_code: str | None = None):
    """A Personnel record in a unit made by `worker` (under `parent_code`'s unit, or outside
    every test unit): its id."""
    from models.org import Department, Personnel

    with worker.app_context():
        parent = db.session.scalar(select(Department).where(Department.code == parent_code)) if parent_code else None
        unit = Department(name_zh=unit_name or f"外单位{_uid()}", name_en=f"Unit {_uid()}", unit_type="MUNI_DEPT",
                          parent=parent)
        person = Personnel(name=f"范围{_uid()}", department=unit)
        db.session.add_all([unit, person])
        db.session.commit()
        return person.id


def test_a_unit_put_under_the_clerks_unit_by_another_worker_brings_its_records_into_his_scope(app, other_worker):
    from models.org import Department, Personnel
    from tests.conftest import TEST_UNIT_CODE

    clerk = login(app.test_client(), "clerk")
    person_id = _outside_person(other_worker)
    assert clerk.get(f"/personnelview/show/{person_id}").status_code == 404     # out of his scope: kept so
    with other_worker.app_context():                  # the organisation changes on the other worker
        unit = db.session.get(Personnel, person_id).department
        unit.parent = db.session.scalar(select(Department).where(Department.code == TEST_UNIT_CODE))
        db.session.commit()
    assert clerk.get(f"/personnelview/show/{person_id}").status_code == 200
    assert f"/personnelview/show/{person_id}\"" in clerk.get("/personnelview/list/?_oc_PersonnelView=id"
                                                             "&_od_PersonnelView=desc").get_data(as_text=True)


def test_a_function_owner_added_on_another_worker_opens_the_whole_function_to_the_unit(app, other_worker):
    """The console's function owners: the clerk's unit made owner of the personnel function
    on another worker sees every unit's staff at his next request, and no more once removed."""
    from models.org import Department
    from models.ownership import FunctionOwner
    from tests.conftest import TEST_UNIT_CODE

    clerk = login(app.test_client(), "clerk")
    person_id = _outside_person(other_worker)
    assert clerk.get(f"/personnelview/show/{person_id}").status_code == 404
    with other_worker.app_context():
        unit = db.session.scalar(select(Department).where(Department.code == TEST_UNIT_CODE))
        owner = FunctionOwner(function="F13_People", department=unit)
        db.session.add(owner)
        db.session.commit()
        owner_id = owner.id
    try:
        assert clerk.get(f"/personnelview/show/{person_id}").status_code == 200
    finally:
        with other_worker.app_context():
            db.session.delete(db.session.get(FunctionOwner, owner_id))
            db.session.commit()
    assert clerk.get(f"/personnelview/show/{person_id}").status_code == 404

"""Custom fields: an admin's field shows at once in forms, the record page, the list and its
filters, the import template and Excel, with its values kept in the record's JSON."""
from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, select

from app.extensions import db
from models.custom_fields import CustomField
from models.meetings import Meeting
from tests.factories import make
from tests.helpers import saved, valid_form


@pytest.fixture()
def contact_field(app):
    """联系人 / Contact person on Meetings: required, a list column and a filter."""
    with app.app_context():
        field = make(db.session, CustomField, entity="Meeting", key="contact_person", label_zh="联系人",
                     label_en="Contact person", kind="TEXT", required=True, in_list=True, in_filter=True,
                     position=1, active=True)
        db.session.commit()
        pk = field.id
    yield pk
    with app.app_context():
        db.session.execute(delete(CustomField).where(CustomField.id == pk))
        db.session.commit()


def test_a_new_field_shows_in_the_add_form_at_once_and_is_saved(app, as_role, contact_field):
    clerk = as_role("clerk", "en")
    page = clerk.get("/meetingview/add").get_data(as_text=True)
    assert "Contact person" in page and 'name="cf_contact_person"' in page and "Additional fields" in page
    form = valid_form(app, Meeting, title="自定义字段会议")
    missing = clerk.post("/meetingview/add", data=form, follow_redirects=True).get_data(as_text=True)
    assert "This field is required" in missing                       # required: refused without it
    with app.app_context():
        assert db.session.scalar(select(Meeting).where(Meeting.title == "自定义字段会议")) is None
    clerk.post("/meetingview/add", data={**form, "cf_contact_person": "张联络"}, follow_redirects=True)
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == "自定义字段会议"))
        assert meeting.custom_fields == {"contact_person": "张联络"}
        pk = meeting.id
    show = clerk.get(f"/meetingview/show/{pk}").get_data(as_text=True)
    assert "Contact person" in show and "张联络" in show
    zh = as_role("clerk", "zh").get(f"/meetingview/show/{pk}").get_data(as_text=True)
    assert "联系人" in zh and "附加字段" in zh


def test_edit_keeps_other_keys_and_a_removed_field_keeps_its_value(app, as_role, contact_field):
    with app.app_context():
        meeting = make(db.session, Meeting, title="编辑自定义", custom_fields={"contact_person": "甲", "old_key": 5})
        db.session.commit()
        pk = meeting.id
    clerk = as_role("clerk", "en")
    edit = clerk.get(f"/meetingview/edit/{pk}").get_data(as_text=True)
    assert 'value="甲"' in edit
    form = valid_form(app, Meeting, title="编辑自定义")
    version = saved(app, Meeting, pk).row_version
    clerk.post(f"/meetingview/edit/{pk}", data={**form, "cf_contact_person": "乙", "row_version": version})
    assert saved(app, Meeting, pk).custom_fields == {"contact_person": "乙", "old_key": 5}
    with app.app_context():
        db.session.get(CustomField, contact_field).active = False
        db.session.commit()
    assert "Contact person" not in clerk.get(f"/meetingview/show/{pk}").get_data(as_text=True)
    assert saved(app, Meeting, pk).custom_fields["contact_person"] == "乙"     # hidden, not lost


def test_list_column_and_filter(app, as_role, contact_field):
    with app.app_context():
        make(db.session, Meeting, title="筛选甲会", custom_fields={"contact_person": "周联络"})
        make(db.session, Meeting, title="筛选乙会", custom_fields={"contact_person": "吴联络"})
        db.session.commit()
    viewer = as_role("viewer", "en")
    page = viewer.get("/meetingview/list/?_flt_0_cf_contact_person=周").get_data(as_text=True)
    assert "Contact person" in page and "周联络" in page and "筛选甲会" in page and "筛选乙会" not in page


def test_import_template_and_import_fill_the_field(app, as_role, contact_field):
    clerk = as_role("clerk", "en")
    template = clerk.get("/meetingview/import/template/").data
    header = CalamineWorkbook.from_filelike(io.BytesIO(template)).get_sheet_by_index(0).to_python()[0]
    assert "Contact person *" in header
    from tests.test_import import upload, xlsx

    data = xlsx([["会议类型", "标题", "联系人"], ["常务会议", "导入自定义会议", "郑联络"],
                 ["常务会议", "缺联系人会议", None]])
    page = upload(clerk, data, view="meetingview").get_data(as_text=True)
    assert "Contact person" in page and "Required, but the cell is empty" in page     # row 3 refused, nothing written
    assert "Imported 1 records" in upload(clerk, xlsx([["会议类型", "标题", "联系人"],
                                                       ["常务会议", "导入自定义会议", "郑联络"]]),
                                          view="meetingview").get_data(as_text=True)
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == "导入自定义会议"))
        assert meeting.custom_fields == {"contact_person": "郑联络"}


def test_api_reads_writes_and_checks_the_field_and_documents_it(app, contact_field):
    from tests.helpers import api_client

    with app.app_context():
        number = make(db.session, CustomField, entity="Meeting", key="attendees", label_zh="人数",
                      label_en="Attendees", kind="NUMBER", active=True)
        db.session.commit()
        number_id = number.id
    try:
        client, headers = api_client(app, "clerk", "en")
        base = {"meeting_type": "CHANGWU", "title": "接口自定义会议"}
        refused = client.post("/api/v1/meeting/", json=base, headers=headers)
        assert refused.status_code == 422 and "Contact person is required" in str(refused.json)
        bad = client.post("/api/v1/meeting/", json={**base, "custom_fields": {"contact_person": "甲",
                                                                              "attendees": "many", "shoe": 1}},
                          headers=headers)
        assert bad.status_code == 422
        assert "Attendees: not a valid value" in str(bad.json) and "Unknown custom field: shoe" in str(bad.json)
        made = client.post("/api/v1/meeting/", json={**base, "custom_fields": {"contact_person": "甲",
                                                                               "attendees": 12}}, headers=headers)
        assert made.status_code == 201, made.json
        pk = made.json["id"]
        assert client.get(f"/api/v1/meeting/{pk}", headers=headers).json["result"]["custom_fields"] == \
            {"contact_person": "甲", "attendees": 12}
        put = client.put(f"/api/v1/meeting/{pk}", json={"custom_fields": {"attendees": 15},
                                                       "row_version": saved(app, Meeting, pk).row_version},
                         headers=headers)
        assert put.status_code == 200, put.json
        assert saved(app, Meeting, pk).custom_fields == {"contact_person": "甲", "attendees": 15}
        admin, admin_headers = api_client(app, "admin", "en")
        spec = admin.get("/api/v1/_openapi", headers=admin_headers).json
        props = spec["components"]["schemas"]["MeetingApi.post"]["properties"]["custom_fields"]
        assert props["properties"]["contact_person"]["type"] == "string"
        assert props["properties"]["attendees"]["type"] == "number" and props["required"] == ["contact_person"]
    finally:
        with app.app_context():
            db.session.execute(delete(CustomField).where(CustomField.id == number_id))
            db.session.commit()


def test_admin_adds_a_field_in_the_console_and_a_clerk_uses_it_at_once(app, as_role):
    admin = as_role("admin", "en")
    page = admin.post("/console/custom-fields/new/", data={
        "entity": "Meeting", "key": "venue_phone", "label_zh": "会场电话", "label_en": "Venue phone", "kind": "TEXT",
        "lookup_category": "", "position": "5", "in_list": "y", "active": "y"}, follow_redirects=True)
    assert page.status_code == 200
    bad = admin.post("/console/custom-fields/new/", data={
        "entity": "Meeting", "key": "Bad Key", "label_zh": "坏", "label_en": "Bad", "kind": "CHOICE",
        "lookup_category": "", "position": "5", "active": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "lower-case letters" in bad and "needs its lookup category" in bad
    try:
        form = as_role("clerk", "zh").get("/meetingview/add").get_data(as_text=True)
        assert "会场电话" in form
        with app.app_context():
            field = db.session.scalar(select(CustomField).where(CustomField.key == "venue_phone"))
            assert field is not None and db.session.scalar(
                select(CustomField).where(CustomField.key == "Bad Key")) is None
            pk = field.id
        admin.post("/console/custom-fields/delete/", data={"id": pk}, follow_redirects=True)
        with app.app_context():
            assert db.session.get(CustomField, pk).active is False          # switched off, not deleted
        assert "会场电话" not in as_role("clerk", "zh").get("/meetingview/add").get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.execute(delete(CustomField).where(CustomField.key == "venue_phone"))
            db.session.commit()


def test_export_carries_the_field_and_imports_back(app, as_role, contact_field):
    """Round trip: a filtered export holds the custom column; removed for good and imported
    back, the records have the same values, custom ones included."""
    from tests.test_import import upload

    with app.app_context():
        for title, who in (("往返自定义甲", "钱联络"), ("往返自定义乙", "孙联络")):
            make(db.session, Meeting, title=title, meeting_type="CHANGWU", custom_fields={"contact_person": who})
        db.session.commit()
    admin = as_role("admin", "zh")
    data = admin.get("/meetingview/export/?_flt_2_title=往返自定义").data
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    column = rows[0].index("联系人")
    assert sorted(r[column] for r in rows[1:]) == ["孙联络", "钱联络"]
    with app.app_context():
        db.session.execute(delete(Meeting).where(Meeting.title.like("往返自定义%")))
        db.session.commit()
    assert "导入 2 条记录" in upload(admin, data, view="meetingview").get_data(as_text=True)
    with app.app_context():
        back = {m.title: m.custom_fields for m in db.session.scalars(select(Meeting).where(
            Meeting.title.like("往返自定义%")))}
    assert back == {"往返自定义甲": {"contact_person": "钱联络"}, "往返自定义乙": {"contact_person": "孙联络"}}

"""Sensitive personal data (docs/domain.md §9): masked for whoever may not see it — on the
record page, in the edit form, in Excel and in the API — and every unmasked read audited."""
from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from app.extensions import db
from models.audit import AuditLog
from models.org import Personnel
from tests.factories import make
from tests.helpers import api_client, version_of

ID_CARD, MOBILE = "350203198801011234", "13812345678"


def _person(app, name="敏感测试"):
    with app.app_context():
        person = make(db.session, Personnel, name=name, id_card_no=ID_CARD, mobile=MOBILE)
        db.session.commit()
        return person.id


def _unmask_rows(app, pk):
    with app.app_context():
        return db.session.query(AuditLog).filter_by(action="UNMASK", entity="Personnel", record_id=pk).count()


def test_clerk_sees_masked_values_on_the_record_page_and_nothing_is_audited(app, as_role):
    pk = _person(app)
    page = as_role("clerk").get(f"/personnelview/show/{pk}").get_data(as_text=True)
    assert "350203********1234" in page and "138****5678" in page
    assert ID_CARD not in page and MOBILE not in page
    assert _unmask_rows(app, pk) == 0


def test_admin_sees_them_and_the_read_is_audited(app, as_role):
    pk = _person(app)
    page = as_role("admin").get(f"/personnelview/show/{pk}").get_data(as_text=True)
    assert ID_CARD in page
    assert _unmask_rows(app, pk) == 1


def test_edit_form_shows_the_mask_and_an_unchanged_mask_keeps_the_number(app, as_role):
    pk = _person(app)
    client = as_role("clerk")
    form = client.get(f"/personnelview/edit/{pk}").get_data(as_text=True)
    assert ID_CARD not in form and "350203********1234" in form
    from app.registry.spec import entity_for
    from tests.factories import form_data
    with app.app_context():
        data = form_data(entity_for(Personnel), db.session.get(Personnel, pk))
    data.update({"name": "改名不改号", "id_card_no": "350203********1234", "mobile": "138****5678"})
    data.pop("birth_date", None)
    client.post(f"/personnelview/edit/{pk}", data=data)
    with app.app_context():
        person = db.session.get(Personnel, pk)
        assert (person.name, person.id_card_no, person.mobile) == ("改名不改号", ID_CARD, MOBILE)


def test_api_masks_for_clerk_and_a_masked_value_sent_back_changes_nothing(app):
    pk = _person(app)
    client, headers = api_client(app, "clerk")
    shown = client.get(f"/api/v1/personnel/{pk}", headers=headers).json["result"]
    assert shown["id_card_no"] == "350203********1234" and shown["mobile"] == "138****5678"
    listed = client.get("/api/v1/personnel/", headers=headers).json["result"]
    assert ID_CARD not in str(listed)
    client.put(f"/api/v1/personnel/{pk}", json={"mobile": shown["mobile"], "name": "接口改名",
                                                  "row_version": version_of(app, Personnel, pk)}, headers=headers)
    with app.app_context():
        assert db.session.get(Personnel, pk).mobile == MOBILE
    admin, admin_headers = api_client(app, "admin")
    assert admin.get(f"/api/v1/personnel/{pk}", headers=admin_headers).json["result"]["id_card_no"] == ID_CARD
    assert _unmask_rows(app, pk) == 1


def test_excel_export_masks_for_a_manager(app, as_role):
    _person(app, "导出敏感")
    response = as_role("manager").get("/personnelview/export/?_flt_0_name=导出敏感")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.data)).get_sheet_by_index(0).to_python()
    cells = {str(c) for row in sheet for c in row}
    assert ID_CARD not in cells and MOBILE not in cells

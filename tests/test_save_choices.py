"""A saved form's drop-downs are checked against the records chosen (app/screens/choices.py):
a unit in the Trash, or an id that is no record, is refused in the user's language and
nothing is saved; a form shown again after a refusal keeps the unit chosen."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from app.extensions import db
from models.org import Department, Personnel
from tests.factories import make
from tests.helpers import valid_form


def _unit(app, name: str, trashed: bool = False) -> int:
    with app.app_context():
        unit = make(db.session, Department, name_zh=name, unit_type="MUNI_DEPT", is_deleted=trashed)
        db.session.commit()
        return unit.id


def _people(app, name: str) -> list[Personnel]:
    with app.app_context():
        return db.session.scalars(select(Personnel).where(Personnel.name == name)).all()


def _with_tokens(page: str, form: dict) -> dict:
    """`form` with the edit page's row version and one-time token, as the browser sends them."""
    for key in ("row_version", "form_token"):
        found = re.search(rf'name="{key}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{key}"', page)
        if found:
            form[key] = found.group(1) or found.group(2)
    return form


def test_a_unit_chosen_by_its_id_is_saved(app, as_role):
    unit = _unit(app, "选择保存单位")
    form = {**valid_form(app, Personnel, name="选单位甲"), "department": str(unit)}
    as_role("admin", "en").post("/personnelview/add", data=form, follow_redirects=True)
    assert [p.department_id for p in _people(app, "选单位甲")] == [unit]


def test_a_unit_in_the_trash_or_no_unit_at_all_is_refused_and_nothing_is_saved(app, as_role):
    trashed = _unit(app, "回收站里的单位", trashed=True)
    for value, said in ((str(trashed), "Not a valid choice"), ("999999999", "Not a valid choice"),
                        ("not-an-id", "Not a valid choice")):
        form = {**valid_form(app, Personnel, name="选单位乙"), "department": value}
        page = as_role("admin", "en").post("/personnelview/add", data=form, follow_redirects=True)
        assert page.status_code == 200 and said in page.get_data(as_text=True)
        assert _people(app, "选单位乙") == []


def test_the_refusal_reads_in_chinese(app, as_role):
    trashed = _unit(app, "回收站单位中文", trashed=True)
    form = {**valid_form(app, Personnel, name="选单位丙"), "department": str(trashed)}
    page = as_role("admin", "zh").post("/personnelview/add", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Not a valid choice" not in page and "不是有效的选项" in page
    assert _people(app, "选单位丙") == []


def test_a_form_shown_again_after_a_refusal_keeps_the_unit_chosen_and_its_field_finds_the_others(app, as_role):
    chosen, other = _unit(app, "重新显示单位甲"), _unit(app, "重新显示单位乙")
    form = {**valid_form(app, Personnel, name=""), "department": str(chosen)}     # a name is required
    admin = as_role("admin", "en")
    page = admin.post("/personnelview/add", data=form, follow_redirects=True).get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="department".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option selected value="{chosen}"|<option value="{chosen}" selected', select_html)
    assert f'value="{other}"' not in select_html          # the page carries no other unit: typing finds it
    url = html.unescape(re.search(r'data-picker-url="([^"]+)"', select_html).group(1))
    found = admin.get(f"{url}&q=重新显示单位").get_json()["results"]
    assert {r["id"]: r["text"] for r in found} == {str(chosen): "重新显示单位甲", str(other): "重新显示单位乙"}


def test_a_record_whose_unit_went_to_the_trash_is_saved_unchanged_but_not_moved_to_another_trashed_unit(
        app, as_role):
    """The unit a record already holds stays acceptable (views.py `_keep_current_choices`),
    though the drop-down no longer offers trashed units; another trashed unit is still refused."""
    held, other = _unit(app, "已有单位后删除"), _unit(app, "另一回收站单位", trashed=True)
    with app.app_context():
        person = make(db.session, Personnel, name="原单位人员", department_id=held)
        db.session.get(Department, held).is_deleted = True
        db.session.commit()
        pk = person.id
    admin = as_role("admin", "en")
    page = admin.get(f"/personnelview/edit/{pk}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="department".*?</select>', page, re.S).group(0)
    assert f'value="{held}"' in select_html and f'value="{other}"' not in select_html
    form = _with_tokens(page, {**valid_form(app, Personnel, name="原单位人员改名"), "department": str(held)})
    saved = admin.post(f"/personnelview/edit/{pk}", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    assert [p.department_id for p in _people(app, "原单位人员改名")] == [held]
    page = admin.get(f"/personnelview/edit/{pk}").get_data(as_text=True)
    form = _with_tokens(page, {**valid_form(app, Personnel, name="改到回收站单位"), "department": str(other)})
    refused = admin.post(f"/personnelview/edit/{pk}", data=form).get_data(as_text=True)
    assert "Not a valid choice" in refused and _people(app, "改到回收站单位") == []

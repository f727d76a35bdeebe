"""Everyday use of the lists and record pages: a text filter offers "contains" first, every
filter operator reads as a phrase in both languages, list columns are laid out by kind, a
record page hides its empty fields behind "Show all fields"."""
from __future__ import annotations

import re
import uuid

import pytest
from flask_babel import force_locale, gettext

import views  # noqa: F401
from app.extensions import db
from models.documents import Document
from models.org import Department, Personnel
from tests.factories import make
from tests.helpers import api_headers, filter_form

LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")
LISTS = ["/documentview/list/", "/hotlinecaseview/list/", "/meetingview/list/", "/personnelview/list/",
         "/supervisionitemview/list/", "/dutylogview/list/"]


def search_filters(page: str) -> dict[str, list[str]]:
    """{column: [operator label, ...]} as the list's search widget hands them to ab_filters.js."""
    return filter_form(page)[2]


@pytest.mark.parametrize("lang, contains, first_of_code", [("zh", "包含", "等于"), ("en", "Contains", "Equal to")])
def test_a_text_filter_offers_contains_first(app, as_role, lang, contains, first_of_code):
    page = as_role("admin", lang=lang).get("/documentview/list/").get_data(as_text=True)
    filters = search_filters(page)
    assert filters["title"][0] == contains
    assert filters["direction"][0] == first_of_code     # a lookup (a choice among codes): "is" first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filter_operators_read_in_the_language(app, as_role, lang):
    client = as_role("admin", lang=lang)
    seen = set()
    for url in LISTS:
        for column, labels in search_filters(client.get(url).get_data(as_text=True)).items():
            for label in labels:
                seen.add(label)
                if lang == "zh":   # "N日内到期": N is the number typed beside it (app/registry/deadlines.py)
                    assert not LATIN.search(re.sub(r"\bN(?=日)", "", label)), f"{url} {column}: {label!r}"
                else:
                    assert not CJK.search(label), f"{url} {column}: {label!r}"
    if lang == "zh":
        assert {"包含", "开头是", "结尾是", "不包含", "等于", "不等于", "属于", "不属于", "晚于", "早于", "是"} <= seen
        assert not seen & {"以开始", "以结束", "不以开始", "不以结束"}
    else:
        assert {"Contains", "Starts with", "Does not contain", "Is one of", "Before", "After", "Is"} <= seen
        assert not seen & {"Not Starts with", "Not Ends with", "Not Contains", "Smaller than", "Relation", "In"}


def test_fab_own_filter_names_read_in_chinese(app):
    """FAB's own screens (users, roles) keep FAB's filters: their names are in our catalog too."""
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        names = {name: gettext(name) for name in ("Starts with", "Ends with", "Not Starts with", "Not Ends with",
                                                  "In", "Not In", "Relation", "No Relation")}
    assert names == {"Starts with": "开头是", "Ends with": "结尾是", "Not Starts with": "开头不是",
                     "Not Ends with": "结尾不是", "In": "属于", "Not In": "不属于", "Relation": "是",
                     "No Relation": "不是"}


def test_the_first_filter_finds_a_word_inside_a_title(app, as_role):
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        make(db.session, Document, title=f"关于{tag}燃气管道安全检查的通知")
        db.session.commit()
    page = as_role("admin").get(f"/documentview/list/?_flt_0_title={tag}燃气").get_data(as_text=True)
    assert f"关于{tag}燃气管道安全检查的通知" in page
    # the REST API names filters by operator, not by position: unchanged
    client = app.test_client()
    query = f"(filters:!((col:title,opr:ct,value:'{tag}燃气')))"
    answer = client.get(f"/api/v1/document/?q={query}", headers=api_headers(client, "admin"))
    assert answer.status_code == 200 and answer.json["count"] == 1


def test_list_columns_are_laid_out_by_kind(app, as_role):
    with app.app_context():
        make(db.session, Document, title="列宽测试公文")
        db.session.commit()
    page = as_role("admin").get("/documentview/list/").get_data(as_text=True)
    headers = dict(re.findall(r'<th class="office-col-(\w+)">\s*(?:<a [^>]*>)?\s*([^<\s]+)', page))
    assert headers.get("wide") == "标题"
    assert re.search(r'<th class="office-col-code">\s*发文字号', page)          # 厦府办〔2026〕12号 never wraps
    assert re.search(r'<th class="office-col-date">\s*<a [^>]*>\s*办理时限', page)
    assert '<td class="office-col-wide"><div class="office-clamp">列宽测试公文</div></td>' in page
    assert '<td class="office-col-actions">' in page


@pytest.fixture()
def sparse_person(app):
    """A person with a name, a unit and nothing else."""
    with app.app_context():
        unit = make(db.session, Department, name_zh="空字段测试处")
        person = make(db.session, Personnel, name="王空白", department=unit)
        for name in ("post_title", "phone", "remark", "birth_date", "id_number"):
            if hasattr(person, name):
                setattr(person, name, None)
        db.session.commit()
        return person.id


@pytest.mark.parametrize("lang, button", [("zh", "显示全部字段"), ("en", "Show all fields")])
def test_a_record_page_hides_its_empty_fields(app, as_role, sparse_person, lang, button):
    page = as_role("admin", lang=lang).get(f"/personnelview/show/{sparse_person}").get_data(as_text=True)
    assert 'class="office-fields office-hide-empty"' in page
    assert button in page
    marked = re.findall(r'<tr class="office-field( office-empty)?" data-field="(\w+)"', page)
    rows = {field: empty for empty, field in marked}
    assert rows["name"] == "" and rows["department"] == ""          # filled: shown
    assert rows["post_title"] == " office-empty"                     # empty: hidden until asked
    assert "王空白" in page


def test_a_full_record_page_has_no_toggle(app, as_role):
    with app.app_context():
        unit = make(db.session, Department, name_zh="满字段测试处")
        unit_id = unit.id
        db.session.commit()
    page = as_role("admin").get(f"/departmentview/show/{unit_id}").get_data(as_text=True)
    empty = re.findall(r'<tr class="office-field office-empty"', page)
    assert ("显示全部字段" in page) == bool(empty)

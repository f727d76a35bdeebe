"""Bilingual screens: Chinese by default, English on request, choice kept on the user."""
from __future__ import annotations

import pytest

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import REGISTRY
from models.org import Department, Personnel
from tests.conftest import login
from tests.factories import make
from tests.pages import chinese_leftovers, english_leftovers


@pytest.fixture()
def person(app):
    with app.app_context():
        unit = make(db.session, Department, name_zh="语言测试处", name_en="Language Test Division")
        p = make(db.session, Personnel, name="李语言", department=unit, gender="1")
        db.session.commit()
        return p.id


def _pages(pk):
    pages = ["/"]
    for entity in REGISTRY.values():
        if entity.admin_only:
            continue
        base = f"/{entity.name.lower()}view"
        pages += [f"{base}/list/", f"{base}/add"]
    pages += [f"/personnelview/show/{pk}", f"/personnelview/edit/{pk}"]
    return pages


def test_zh_pages_have_no_english_interface_text(app, as_role, person):
    client = as_role("admin", lang="zh")
    for url in _pages(person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_leftovers(response.data.decode()) == [], url


def test_en_pages_have_no_chinese_interface_text(app, as_role, person):
    client = as_role("admin", lang="en")
    for url in _pages(person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert chinese_leftovers(response.data.decode()) == [], url


def test_lookup_and_department_labels_follow_the_language(app, as_role, person):
    zh = as_role("manager", lang="zh").get(f"/personnelview/show/{person}").data.decode()
    assert "语言测试处" in zh and "男" in zh
    en = as_role("manager", lang="en").get(f"/personnelview/show/{person}").data.decode()
    assert "Language Test Division" in en and "Male" in en


def test_first_visit_follows_accept_language(app):
    client = app.test_client()
    page = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).data.decode()
    assert "Xiamen Municipal Government General Office Admin Panel" in page
    page = app.test_client().get("/login/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).data.decode()
    assert "厦门市人民政府办公厅综合管理平台" in page


def test_language_choice_is_kept_on_the_user(app):
    first = app.test_client()
    login(first, "leader")
    first.post("/lang/en")
    # a new browser, whose Accept-Language says Chinese, still gets English after login
    second = app.test_client()
    login(second, "leader", lang=None)  # signs in without choosing
    page = second.get("/", headers={"Accept-Language": "zh-CN"}).data.decode()
    assert "Welcome" in page
    second.post("/lang/zh_Hans_CN")
    assert "您好" in second.get("/").data.decode()


def test_zh_catalog_is_complete():
    from translations.catalog import gaps

    assert gaps() == []

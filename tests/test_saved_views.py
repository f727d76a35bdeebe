"""Saved views (app/saved_views.py): a user keeps a list's filters, order and columns under
a name, finds it in his menu and the list's toolbar; a manager shares one with his unit;
nobody else sees a personal view, and a shared view never shows a record out of scope."""
from __future__ import annotations

import html
import re
import uuid
from urllib.parse import unquote

import pytest

from app.extensions import db
from models.documents import Document
from models.org import Department
from models.saved_views import SavedView
from tests.conftest import PASSWORD, TEST_UNIT_CODE, place_user
from tests.factories import make
from tests.pages import list_headers


def _menu(client) -> list[tuple[str, str]]:
    """(name, address) of the saved views in the sidebar."""
    page = client.get("/").get_data(as_text=True)
    block = re.search(r'<div class="office-side-group office-side-views">(.*?)</ul>', page, re.S)
    if block is None:
        return []
    return [(re.sub(r"<[^>]+>", "", name).strip(), href.replace("&amp;", "&"))
            for href, name in re.findall(r'<li><a href="([^"]+)" title="[^"]*">(.*?)<span', block.group(1), re.S)]


def _saved(app, **where) -> list[SavedView]:
    with app.app_context():
        rows = db.session.query(SavedView).filter_by(**where).all()
        db.session.expunge_all()
        return rows


def _save(client, name, *, query="", columns="", share=False, entity="Document"):
    data = {"entity": entity, "name": name, "query": query, "columns": columns}
    if share:
        data["share"] = "1"
    return client.post("/savedviews/save", data=data)


@pytest.fixture()
def documents(app):
    """Two documents of the clerk's unit with a word in their titles, one out of his scope."""
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        outside = make(db.session, Department, code=f"SV-{tag}", name_zh=f"外单位{tag}")
        outside.parent_id = None
        make(db.session, Document, title=f"视图{tag}甲", created_by="clerk")
        make(db.session, Document, title=f"视图{tag}乙", created_by="clerk")
        make(db.session, Document, title=f"视图{tag}外", lead_department=outside, created_by="someone")
        db.session.commit()
    return tag


def test_a_clerk_saves_a_view_and_opens_it_from_his_menu(app, as_role, documents):
    clerk = as_role("clerk", "zh")
    query = f"_flt_0_title=视图{documents}&_oc_DocumentView=title&_od_DocumentView=desc&page_DocumentView=3"
    answer = _save(clerk, "  我的  公文 ", query=query, columns="title,doc_no,bogus")
    assert answer.status_code == 302
    (saved,) = _saved(app, name="我的 公文")
    assert saved.shared_unit_id is None and saved.columns == ["title", "doc_no"]
    assert "page_DocumentView" not in saved.query            # a view opens on its first page
    (entry,) = _menu(clerk)
    assert entry[0] == "我的 公文"
    page = clerk.get(entry[1]).get_data(as_text=True)
    assert re.findall(rf">视图{documents}(.)<", page) == ["甲", "乙"]      # its filter and its order
    assert list_headers(page) == ["标题", "发文字号"]                    # its columns
    # the list's toolbar offers it too
    toolbar = clerk.get("/documentview/list/").get_data(as_text=True).split('class="btn-group office-views"')[1]
    assert "我的 公文" in toolbar
    # nobody else sees a personal view
    assert _menu(as_role("manager", "zh")) == []


def test_saving_again_under_the_same_name_replaces_the_view(app, as_role):
    clerk = as_role("clerk", "en")
    _save(clerk, "Mine", query="_flt_0_title=a")
    page = clerk.post("/savedviews/save", data={"entity": "Document", "name": "Mine", "query": "_flt_0_title=b",
                                                "columns": ""}, follow_redirects=True).get_data(as_text=True)
    assert "was updated" in page
    (saved,) = _saved(app, name="Mine")
    assert saved.query == "_flt_0_title=b"


@pytest.mark.parametrize("lang, form, message", [
    ("zh", {"name": "   "}, "请为视图命名"),
    ("en", {"name": ""}, "Give the view a name."),
    ("en", {"name": "x" * 61}, "at most 60 characters"),
    ("en", {"name": "Shared", "share": "1"}, "Only a manager may share a view"),
    ("zh", {"name": "共享", "share": "1"}, "只有处室负责人可以与本单位共享视图"),
])
def test_a_view_that_cannot_be_saved_as_asked_saves_nothing(app, as_role, lang, form, message):
    clerk = as_role("clerk", lang)
    before = len(_saved(app))
    page = clerk.post("/savedviews/save", data={"entity": "Document", "query": "", "columns": "", **form},
                      follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert len(_saved(app)) == before


def test_a_view_of_a_list_the_user_may_not_read_is_refused(app, as_role):
    from app.registered_views import view_of
    from app.registry.spec import REGISTRY

    with app.app_context():
        viewer = app.appbuilder.sm.find_user("viewer")
        rights = {(p.permission.name, p.view_menu.name) for r in viewer.roles for p in r.permissions}
        hidden = next((e for e in REGISTRY.values() if view_of(e) is not None and ("can_read", e.name) not in rights),
                      None)
    if hidden is None:
        pytest.skip("Viewer reads every list")
    for entity in (hidden.name, "NoSuchEntity"):
        page = as_role("viewer", "en").post("/savedviews/save", data={"entity": entity, "name": "Peek", "query": ""},
                                            follow_redirects=True).get_data(as_text=True)
        assert "That list is not yours to read" in page
    assert _saved(app, name="Peek") == []


def test_a_manager_shares_a_view_with_his_unit_and_its_units_below(app, as_role, documents):
    manager = as_role("manager", "zh")
    answer = _save(manager, "本处在办", query=f"_flt_0_title=视图{documents}", share=True)
    assert answer.status_code == 302
    (saved,) = _saved(app, name="本处在办")
    with app.app_context():
        unit = db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one()
        unit_id = unit.id
        assert saved.shared_unit_id == unit_id
        # a user of a section under the unit, and one of another unit
        sm = app.appbuilder.sm
        tag = uuid.uuid4().hex[:6]
        section = make(db.session, Department, code=f"SEC-{tag}", name_zh=f"科{tag}")
        section.parent_id = unit_id
        elsewhere = make(db.session, Department, code=f"ELS-{tag}", name_zh=f"他处{tag}")
        elsewhere.parent_id = None
        db.session.commit()
        for name, where in ((f"sec{tag}", section), (f"els{tag}", elsewhere)):
            user = sm.add_user(name, name, "Test", f"{name}@test.xm.gov.cn", [sm.find_role("Clerk")], PASSWORD)
            place_user(db.session, user, where)
    below, other = as_role(f"sec{tag}", "zh"), as_role(f"els{tag}", "zh")
    assert [name for name, _url in _menu(below)] == ["本处在办"]
    assert _menu(other) == []
    # the shared view opens through the colleague's own scope: the out-of-scope record stays out
    (entry,) = _menu(as_role("clerk", "zh"))
    page = as_role("clerk", "zh").get(entry[1]).get_data(as_text=True)
    assert f"视图{documents}甲" in page and f"视图{documents}外" not in page
    # the colleague cannot remove or unshare it
    clerk = as_role("clerk", "en")
    refused = clerk.post(f"/savedviews/delete/{saved.id}", follow_redirects=True).get_data(as_text=True)
    assert "Only the view's owner may remove it." in html.unescape(refused)
    refused = clerk.post(f"/savedviews/share/{saved.id}", data={"off": "1"}, follow_redirects=True)
    assert "Only the view's owner may share it." in html.unescape(refused.get_data(as_text=True))
    assert _saved(app, id=saved.id)[0].shared_unit_id == unit_id
    # the owner takes it back: the colleagues no longer see it
    manager.post(f"/savedviews/share/{saved.id}", data={"off": "1"})
    assert _menu(below) == []
    manager.post(f"/savedviews/share/{saved.id}")
    assert [name for name, _url in _menu(below)] == ["本处在办"]
    manager.post(f"/savedviews/delete/{saved.id}")
    assert _saved(app, id=saved.id) == [] and _menu(manager) == []


def test_the_manage_page_lists_views_in_both_languages(app, as_role):
    manager = as_role("manager", "en")
    _save(manager, "Overdue, ours", query="_flt_0_title=x", share=True)
    _save(as_role("clerk", "zh"), "我自己的")
    page = manager.get("/savedviews/").get_data(as_text=True)
    assert "Overdue, ours" in page and "Stop sharing" in page and "我自己的" not in page
    zh = as_role("clerk", "zh").get("/savedviews/").get_data(as_text=True)
    assert "我自己的" in zh and "Overdue, ours" in zh and "保存的视图" in zh
    assert "仅本人" in zh                       # the clerk's own, personal view


def test_a_view_keeps_its_filters_in_the_address(app, as_role):
    clerk = as_role("clerk", "en")
    _save(clerk, "Kept", query="_flt_0_title=%E7%87%83%E6%B0%94&psize_DocumentView=50", columns="doc_no,title")
    ((_name, url),) = _menu(clerk)
    assert unquote(url).startswith("/documentview/list/?_flt_0_title=燃气&psize_DocumentView=50")
    assert url.endswith("_cols=doc_no,title")
    page = html.unescape(clerk.get("/savedviews/").get_data(as_text=True))
    summary = re.search(r'<td class="office-view-summary">(.*?)</td>', page, re.S).group(1)
    parts = [p.strip() for p in re.findall(r'<span class="label label-default">(.*?)</span>', summary)]
    assert parts == ["Title (Contains): 燃气", "2 columns"]

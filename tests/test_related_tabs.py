"""A record's related tabs are drawn when opened (app/screens/related_tabs.py), over every
entity with related tabs: its page carries one placeholder per tab and none of their rows;
each placeholder's address gives that tab's list with the record's child in it; the tab of
a record the user may not see is not found; the page's paging arguments reach the tab."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.spec import REGISTRY
from tests.factories import make
from tests.test_scope import _foreign_record

WITH_TABS = sorted((e for e in REGISTRY.values() if e.related), key=lambda e: e.name)


def _back_link(child, parent) -> str | None:
    """The child's many-to-one relation to `parent`, by which its tab lists it."""
    for rel in sa_inspect(child).relationships:
        if rel.direction.name == "MANYTOONE" and rel.mapper.class_ is parent:
            return rel.key
    return None


def _placeholders(page: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r'class="office-related" data-related-url="([^"]+)"', page)]


@pytest.fixture(scope="module")
def admin(app):
    from tests.conftest import login

    return login(app.test_client(), "admin", lang="en")


def test_there_are_tabs_to_check():
    assert len(WITH_TABS) > 20


@pytest.mark.parametrize("entity", WITH_TABS, ids=lambda e: e.name)
def test_each_tab_is_drawn_when_opened_with_the_records_children(app, admin, entity):
    base = f"/{entity.name.lower()}view"
    children = [m for m in entity.related if _back_link(m, entity.model)]
    with app.app_context():
        parent = make(db.session, entity.model)
        made = {}
        for child in children:
            made[child] = make(db.session, child, **{_back_link(child, entity.model): parent}).id
        db.session.commit()
        pk = parent.id
    page = admin.get(f"{base}/show/{pk}").get_data(as_text=True)
    assert len(_placeholders(page)) == len(entity.related), "one placeholder per tab"
    for child in entity.related:
        view = f"{child.__name__}View"
        pane = re.search(rf'<div id="{view}" class="tab-pane">(.*?)</div>\s*</div>', page, re.S)
        assert pane is not None, f"no tab {view}"
        assert "<table" not in pane.group(1), f"{view}: the page drew the tab's list"
        (url,) = _placeholders(pane.group(1))
        tab = admin.get(url)
        assert tab.status_code == 200, tab.get_data(as_text=True)[:300]
        if child in made:
            assert f"/{child.__name__.lower()}view/show/{made[child]}" in tab.get_data(as_text=True), view


def test_the_tab_of_a_record_out_of_scope_or_of_no_tab_is_not_found(app, as_role, admin):
    entity = next(e for e in WITH_TABS if e.name == "SupervisionItem")
    pk, _version = _foreign_record(app, entity)
    clerk = as_role("clerk", "en")
    assert clerk.get(f"/supervisionitemview/related/{pk}/0").status_code == 404
    assert admin.get(f"/supervisionitemview/related/{pk}/0").status_code == 200
    assert admin.get(f"/supervisionitemview/related/{pk}/{len(entity.related)}").status_code == 404
    assert admin.get("/supervisionitemview/related/999999999/0").status_code == 404


def test_the_pages_paging_reaches_its_tab_and_the_tabs_links_stay_in_it(app, admin):
    """A tab's second page: the page's `page_<View>` argument is carried to the tab, and the
    tab's own paging links point at the tab (related_tabs.js loads them in place)."""
    entity = next(e for e in WITH_TABS if e.name == "Document")
    child = REGISTRY[next(m for m in REGISTRY if m.__name__ == "DocumentStep")].model
    link = _back_link(child, entity.model)
    with app.app_context():
        parent = make(db.session, entity.model)
        steps = [make(db.session, child, **{link: parent}).id for _ in range(30)]
        db.session.commit()
        pk = parent.id
    page = admin.get(f"/documentview/show/{pk}?page_DocumentStepView=1").get_data(as_text=True)
    pane = re.search(r'<div id="DocumentStepView" class="tab-pane">(.*?)</div>\s*</div>', page, re.S).group(1)
    (url,) = _placeholders(pane)
    assert "page_DocumentStepView=1" in url
    second = admin.get(url).get_data(as_text=True)
    shown = {int(n) for n in re.findall(r"/documentstepview/show/(\d+)", second)}
    assert shown and shown <= set(steps) and len(shown) < len(steps)
    first = admin.get(url.replace("page_DocumentStepView=1", "page_DocumentStepView=0")).get_data(as_text=True)
    assert not shown & {int(n) for n in re.findall(r"/documentstepview/show/(\d+)", first)}
    assert url.split("?")[0] + "?" in html.unescape(second)

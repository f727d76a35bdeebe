"""A list counts its rows only so far (LIST_COUNT_CAP past the page shown): at a million
rows the exact count costs more than the page. Past the cap the list says "more than N"
and its pager still leads on; the REST API's count stays exact."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from models.org import Department, Personnel
from tests.factories import make
from tests.helpers import api_client

PREFIX = "计数上限"
URL = f"/personnelview/list/?_flt_0_name={PREFIX}&psize_PersonnelView=2"


@pytest.fixture()
def twelve(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 5)
    with app.app_context():
        if not db.session.query(Personnel).filter(Personnel.name.like(f"{PREFIX}%")).count():
            unit = make(db.session, Department)
            for i in range(12):
                make(db.session, Personnel, name=f"{PREFIX}{i:02d}", department=unit)
            db.session.commit()


def _names(page: str) -> set[str]:
    return set(re.findall(rf"{PREFIX}\d\d", page))


def _page_links(page: str) -> set[int]:
    return {int(n) for n in re.findall(r"page_PersonnelView=(\d+)", page)}


def test_a_list_past_the_cap_says_more_than_and_pages_on(app, as_role, twelve):
    client = as_role("manager", lang="en")
    first = client.get(URL).get_data(as_text=True)
    assert "more than 5" in first and "Record Count" in first
    assert len(_names(first)) == 2
    assert 1 in _page_links(first)                          # the next page is offered
    seen, page, text = set(_names(first)), 0, first
    while "more than" in text:                              # walk on, as a user clicking ">"
        page += 1
        assert page in _page_links(text)
        text = client.get(f"{URL}&page_PersonnelView={page}").get_data(as_text=True)
        seen |= _names(text)
    assert page < 6 and re.search(r"Record Count:</strong>\s*12\b", text)   # the end: the exact count
    last = client.get(f"{URL}&page_PersonnelView=5").get_data(as_text=True)
    assert len(_names(last)) == 2
    seen |= _names(last)
    assert seen | _names(client.get(f"{URL}&page_PersonnelView=4").get_data(as_text=True)) \
        == {f"{PREFIX}{i:02d}" for i in range(12)}


def test_the_capped_count_speaks_chinese(app, as_role, twelve):
    page = as_role("manager", lang="zh").get(URL).get_data(as_text=True)
    assert "超过 5" in page


def test_a_list_below_the_cap_shows_the_exact_count(app, as_role, twelve):
    page = as_role("manager", lang="en").get(f"/personnelview/list/?_flt_0_name={PREFIX}").get_data(as_text=True)
    assert re.search(r"Record Count:</strong>\s*12\b", page) and "more than" not in page
    assert len(_names(page)) == 12


def test_the_api_count_stays_exact(app, twelve):
    client, headers = api_client(app, "manager")
    body = client.get("/api/v1/personnel/", headers=headers,
                      query_string={"q": f"(filters:!((col:name,opr:sw,value:{PREFIX})),page_size:2)"}).json
    assert body["count"] == 12 and len(body["result"]) == 2

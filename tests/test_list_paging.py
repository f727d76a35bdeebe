"""A list read page by page gives every row once, in the order of one long page, in both
directions of a column with ties and empty values — also the pages nearer the end, which
the data layer reads backwards from the last row (app/screens/interface.py `_from_the_end`)."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from app.extensions import db
from models.org import Department, Personnel

PAGE = 4


@pytest.fixture()
def unit_of_eleven(app):
    """A unit with 11 people: birth dates with ties and three left empty."""
    with app.app_context():
        unit = Department(name_zh=f"翻页{uuid.uuid4().hex[:6]}", name_en="Paging unit", unit_type="MUNI_DEPT")
        days = [3, 1, None, 2, 2, None, 5, 1, 4, None, 2]
        db.session.add_all([Personnel(name=f"翻页{i:02d}", department=unit,
                                      birth_date=dt.date(1980, 1, d) if d else None) for i, d in enumerate(days)])
        db.session.commit()
        return unit.id


def _ids(page: str) -> list[int]:
    found = re.findall(r'/personnelview/show/(\d+)"', page)
    return list(dict.fromkeys(int(i) for i in found))


@pytest.mark.parametrize("order", ["birth_date", "name", "id"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_pages_put_together_are_the_one_long_page(as_role, unit_of_eleven, order, direction):
    admin = as_role("admin")
    base = (f"/personnelview/list/?_flt_0_department={unit_of_eleven}"
            f"&_oc_PersonnelView={order}&_od_PersonnelView={direction}")
    whole = _ids(admin.get(f"{base}&psize_PersonnelView=100").get_data(as_text=True))
    assert len(whole) == 11
    pages = [_ids(admin.get(f"{base}&psize_PersonnelView={PAGE}&page_PersonnelView={n}").get_data(as_text=True))
             for n in range(3)]
    assert [len(p) for p in pages] == [4, 4, 3]          # the last page holds only what is left
    assert [i for p in pages for i in p] == whole
    beyond = admin.get(f"{base}&psize_PersonnelView={PAGE}&page_PersonnelView=3").get_data(as_text=True)
    assert _ids(beyond) == []

"""Excel export of a filtered list: exactly the filtered rows, headers in the user's language."""
from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineWorkbook

from app.extensions import db
from models.org import Department, Personnel
from tests.factories import make


def _read(data: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def _setup(app):
    with app.app_context():
        unit = make(db.session, Department, name_zh="导出测试处", name_en="Export Test Division")
        for i, name in enumerate(["导出甲", "导出乙", "导出丙"]):
            make(db.session, Personnel, name=name, department=unit, gender="2",
                 birth_date=dt.date(1990, 1, 1 + i), post_title="=SUM(A1:A9)" if i == 0 else "科员")
        make(db.session, Personnel, name="未筛选", department=unit)
        db.session.commit()
        return unit.id


def test_export_contains_exactly_the_filtered_rows_zh(app, as_role):
    unit_id = _setup(app)
    client = as_role("manager", lang="zh")
    response = client.get(f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = _read(response.data)
    header = rows[0]
    assert "姓名" in header
    assert "性别" in header and "单位" in header
    name_col = header.index("姓名")
    names = sorted(r[name_col] for r in rows[1:])
    assert names == sorted(["导出甲", "导出乙", "导出丙"])
    gender_col = header.index("性别")
    assert {r[gender_col] for r in rows[1:]} == {"女"}
    birth_col = header.index("出生日期")
    # the birth date is sensitive personal data (DOMAIN.md §9): a manager's export keeps its year only
    assert {r[birth_col] for r in rows[1:]} == {"1990-**-**"}
    post_col = header.index("职务")
    assert "=SUM(A1:A9)" in [r[post_col] for r in rows[1:]]  # written as text, not a formula


def test_export_shows_dates_to_a_role_that_may_see_sensitive_data(app, as_role):
    unit_id = _setup(app)
    rows = _read(as_role("admin", lang="zh").get(
        f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出").data)
    birth_col = rows[0].index("出生日期")
    assert sorted(r[birth_col] for r in rows[1:]) == [dt.date(1990, 1, d) for d in (1, 2, 3)]


def test_export_headers_follow_the_language(app, as_role):
    unit_id = _setup(app)
    client = as_role("manager", lang="en")
    rows = _read(client.get(f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出").data)
    header = rows[0]
    assert "Gender" in header and "Department" in header
    gender_col = header.index("Gender")
    assert {r[gender_col] for r in rows[1:]} == {"Female"}
    assert len(rows) == 4

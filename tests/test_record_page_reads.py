"""A record page read often stays as cheap as at its second view, and its History tab keeps
the record's edits: the audit of each unmasked read (docs/domain.md §9) is the audit log's,
not the History's (issue 19)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from app.extensions import db
from models.audit import AuditLog
from models.org import Personnel
from tests.factories import make


@contextmanager
def counted(app):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _person(app) -> int:
    with app.app_context():
        person = make(db.session, Personnel, name="常看记录", id_card_no="350203198801011234", mobile="13812345678")
        db.session.commit()
        return person.id


def test_the_record_pages_queries_do_not_grow_with_its_views(app, as_role):
    pk = _person(app)
    admin = as_role("admin", "zh")
    url = f"/personnelview/show/{pk}"
    assert admin.get(url).status_code == 200           # caches of the process warmed
    with counted(app) as second:
        assert admin.get(url).status_code == 200
    for _ in range(30):
        admin.get(url)
    with counted(app) as later:
        page = admin.get(url).get_data(as_text=True)
    assert "350203198801011234" in page               # the admin reads it unmasked …
    assert len(later) == len(second), (len(second), len(later))
    with app.app_context():                            # … and each read is in the audit log
        reads = db.session.scalar(select(db.func.count()).select_from(AuditLog).where(
            AuditLog.action == "UNMASK", AuditLog.entity == "Personnel", AuditLog.record_id == pk))
    assert reads == 33


def test_reads_stay_out_of_the_history_tab_and_the_edits_stay_in(app, as_role):
    pk = _person(app)
    with app.app_context():
        person = db.session.get(Personnel, pk)
        person.post_title = "副处长"
        db.session.commit()
    admin = as_role("admin", "en")
    for _ in range(3):
        admin.get(f"/personnelview/show/{pk}")
    page = admin.get(f"/personnelview/show/{pk}").get_data(as_text=True)
    history = page[page.index('id="history"'):] if 'id="history"' in page else page
    assert "副处长" in history
    assert "Viewed sensitive data" not in history
    audit = admin.get("/auditlogview/list/?_flt_0_action=UNMASK").get_data(as_text=True)
    assert "Viewed sensitive data" in audit

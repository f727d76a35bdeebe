"""Recently viewed records on the dashboard (app/recent.py): the record pages a user opened,
newest first, at most ten — and only while he may still see them."""
from __future__ import annotations

import re
import uuid

from app.extensions import db
from models.documents import Document
from tests.factories import make


def _recent(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<section class="dash-card dash-recent" id="recent">(.*?)</section>', page, re.S)
    return re.findall(r'href="/documentview/show/(\d+)"', found.group(1)) if found else []


def _documents(app, n: int) -> list[int]:
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        ids = [make(db.session, Document, title=f"最近查看{tag}-{i}", created_by="clerk").id for i in range(n)]
        db.session.commit()
    return ids


def test_the_records_opened_show_on_the_dashboard_newest_first_at_most_ten(app, as_role):
    clerk = as_role("clerk", "zh")
    first, second, *rest = _documents(app, 12)
    assert _recent(clerk) == []
    for pk in (first, second, first):
        assert clerk.get(f"/documentview/show/{pk}").status_code == 200
    assert _recent(clerk) == [str(first), str(second)]
    for pk in rest:
        clerk.get(f"/documentview/show/{pk}")
    assert _recent(clerk) == [str(pk) for pk in reversed(rest)][:10]
    assert "最近查看" in clerk.get("/").get_data(as_text=True)


def test_a_trashed_record_leaves_the_list(app, as_role):
    clerk = as_role("clerk", "en")
    kept, trashed = _documents(app, 2)
    for pk in (kept, trashed):
        clerk.get(f"/documentview/show/{pk}")
    with app.app_context():
        db.session.get(Document, trashed).is_deleted = True
        db.session.commit()
    assert _recent(clerk) == [str(kept)]
    page = clerk.get("/").get_data(as_text=True)
    assert "Recently viewed" in page

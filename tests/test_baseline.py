"""The baseline every test starts from (tests/baseline.py): what one test leaves on the shared
app — a saved language, a setting, a right, a custom field, a config value — is gone for the next."""
from __future__ import annotations

from sqlalchemy import delete, select

from app.console.access import CONSOLE
from app.extensions import db
from app.settings import setting
from models.custom_fields import CustomField
from models.meetings import Meeting
from models.settings import Setting
from tests.conftest import login
from tests.factories import make


def test_what_a_test_leaves_is_put_back(app, as_role):
    baseline = app.extensions["test_baseline"]
    as_role("viewer", "en")                                        # saved on the account
    admin = as_role("admin", "en")
    admin.post("/console/settings/", data={"DEADLINE_YELLOW_DAYS": "7"})
    app.config["IMPORT_MAX_ROWS"] = 3
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_permission_role(sm.find_role("Viewer"), sm.find_permission_view_menu(*CONSOLE))
        make(db.session, CustomField, entity="Meeting", key="left_behind", label_zh="遗留", label_en="Left behind",
             kind="TEXT", required=True, active=True)
        db.session.commit()
        assert setting("DEADLINE_YELLOW_DAYS") == 7
    assert as_role("viewer", "en").get("/console/lookups/").status_code == 200

    restored = baseline.restore()

    assert restored and baseline.restore() == []                   # once put back, nothing is left over
    viewer = login(app.test_client(), "viewer", lang=None)          # his own saved language again
    assert "您好" in viewer.get("/").get_data(as_text=True)
    assert viewer.get("/console/lookups/").status_code == 403
    assert 'name="cf_left_behind"' not in as_role("clerk", "en").get("/meetingview/add").get_data(as_text=True)
    assert app.config["IMPORT_MAX_ROWS"] != 3
    with app.app_context():
        assert setting("DEADLINE_YELLOW_DAYS") == app.config["DEADLINE_YELLOW_DAYS"]
        assert db.session.scalar(select(Setting.value).where(Setting.key == "DEADLINE_YELLOW_DAYS")) is None


def test_records_a_test_makes_are_not_the_baselines_business(app):
    with app.app_context():
        meeting = make(db.session, Meeting, title="基线之外的会议")
        db.session.commit()
        pk = meeting.id
    app.extensions["test_baseline"].restore()
    with app.app_context():
        assert db.session.get(Meeting, pk) is not None
        db.session.execute(delete(Meeting).where(Meeting.id == pk))
        db.session.commit()

"""What each role may see and do."""
from __future__ import annotations

from app.extensions import db
from models.org import Department, Personnel
from tests.factories import make
from tests.helpers import version_of


def _person(app, name="角色测试人员"):
    with app.app_context():
        person = make(db.session, Personnel, name=name)
        db.session.commit()
        return person.id


def test_clerk_cannot_delete(app, as_role):
    pk = _person(app)
    clerk = as_role("clerk")
    listing = clerk.get("/personnelview/list/").data.decode()
    assert f"/personnelview/delete/{pk}" not in listing
    response = clerk.post(f"/personnelview/delete/{pk}")
    assert response.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Personnel, pk) is not None


def test_clerk_adds_and_edits(app, as_role):
    pk = _person(app)
    clerk = as_role("clerk")
    assert clerk.get("/personnelview/add").status_code == 200
    assert clerk.get(f"/personnelview/edit/{pk}").status_code == 200


def test_clerk_cannot_reach_user_or_role_admin(app, as_role):
    clerk = as_role("clerk")
    for url in ("/users/list/", "/roles/list/", "/users/add", "/roles/add", "/permissions/list/"):
        response = clerk.get(url)
        assert response.status_code in (302, 403), url
        assert "/users/" not in (response.location or "") or response.status_code == 403


def test_viewer_reads_but_cannot_add_or_edit(app, as_role):
    pk = _person(app)
    viewer = as_role("viewer")
    assert viewer.get("/personnelview/list/").status_code == 200
    assert viewer.get(f"/personnelview/show/{pk}").status_code == 200
    assert viewer.get("/personnelview/add").status_code in (302, 403)
    with app.app_context():
        before = db.session.query(Department).count()
    viewer.post("/departmentview/add", data={"name_zh": "只读用户新增的单位", "unit_type": "MUNI_DEPT"})
    with app.app_context():
        assert db.session.query(Department).count() == before
    assert viewer.post(f"/personnelview/edit/{pk}", data={"name": "改名"}).status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Personnel, pk).name != "改名"


def test_manager_exports_but_does_not_edit(app, as_role):
    pk = _person(app)
    manager = as_role("manager")
    assert manager.get("/personnelview/export/").status_code == 200
    assert manager.get(f"/personnelview/edit/{pk}").status_code in (302, 403)


def test_clerk_and_viewer_cannot_export(app, as_role):
    for role in ("clerk", "viewer"):
        client = as_role(role)
        assert client.get("/personnelview/export/").status_code in (302, 403)
        assert "personnelview/export" not in client.get("/personnelview/list/").data.decode()


def test_lookups_are_admin_only(app, as_role):
    assert as_role("admin").get("/lookupview/list/").status_code == 200
    for role in ("leader", "manager", "clerk", "viewer"):
        assert as_role(role).get("/lookupview/list/").status_code in (302, 403)


def test_sync_roles_keeps_an_admins_grant(app):
    from app.roles import sync_roles

    with app.app_context():
        sm = app.appbuilder.sm
        viewer = sm.find_role("Viewer")
        extra = sm.find_permission_view_menu("can_export", "Personnel")
        sm.add_permission_role(viewer, extra)
        sync_roles()
        assert extra in sm.find_role("Viewer").permissions
        sync_roles(strict=True)
        assert extra not in sm.find_role("Viewer").permissions


def test_every_role_opens_his_own_profile(app, as_role):
    """The top bar's Profile link: FAB's rights were named after its user screen, ours is
    OfficeUserView, and every non-admin got a 403 on his own profile."""
    for name in ("leader", "manager", "clerk", "viewer"):
        page = as_role(name, "zh").get("/users/userinfo/")
        assert page.status_code == 200, name


def test_units_are_read_by_everyone_and_changed_by_admins_only(app, as_role):
    """A user's scope is his unit and the units under it: a Clerk who could move a unit
    under his own (PUT /api/v1/department/22 {"parent_id": his unit}) widened his scope."""
    from app.extensions import db
    from models.org import Department
    from tests.helpers import api_client

    with app.app_context():
        unit = Department(name_zh="外区单位", unit_type="MUNI_DEPT")
        db.session.add(unit)
        db.session.commit()
        pk = unit.id
    for name in ("clerk", "manager"):
        client, headers = api_client(app, name, "en")
        assert client.get(f"/api/v1/department/{pk}", headers=headers).status_code == 200
        assert client.put(f"/api/v1/department/{pk}", json={"parent_id": 1}, headers=headers).status_code == 403
        assert client.post("/api/v1/department/", json={"name_zh": "新单位", "unit_type": "MUNI_DEPT"},
                           headers=headers).status_code == 403
        assert as_role(name, "en").get(f"/departmentview/edit/{pk}").status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Department, pk).parent_id is None
    admin, headers = api_client(app, "admin", "en")
    assert admin.put(f"/api/v1/department/{pk}", json={"short_name_zh": "外区",
                                                          "row_version": version_of(app, Department, pk)},
                     headers=headers).status_code == 200

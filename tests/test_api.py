"""The REST API: JWT required, same permissions as the screens, codes validated."""

from __future__ import annotations

from app.extensions import db
from models.org import Department
from tests.conftest import PASSWORD
from tests.factories import make


def _token(client, username: str) -> str:
    response = client.post(
        "/api/v1/security/login", json={"username": username, "password": PASSWORD, "provider": "db"}
    )
    assert response.status_code == 200, response.data
    return response.json["access_token"]


def test_api_refuses_without_token(app):
    client = app.test_client()
    assert client.get("/api/v1/department/").status_code == 401
    assert (
        client.post("/api/v1/department/", json={"name_zh": "无令牌单位", "unit_type": "MUNI_DEPT"}).status_code == 401
    )


def test_api_lists_with_token(app):
    with app.app_context():
        make(db.session, Department, name_zh="接口测试单位")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'viewer')}"}
    response = client.get("/api/v1/department/", headers=headers)
    assert response.status_code == 200
    assert response.json["count"] >= 1
    assert "name_zh" in response.json["list_columns"]


def test_api_creates_and_refuses_unknown_codes(app):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'admin')}"}
    ok = client.post("/api/v1/department/", json={"name_zh": "接口新增单位", "unit_type": "MUNI_DEPT"}, headers=headers)
    assert ok.status_code == 201, ok.json
    bad = client.post("/api/v1/department/", json={"name_zh": "代码错误单位", "unit_type": "NOPE"}, headers=headers)
    assert bad.status_code == 422
    assert "unit_type" in bad.json["message"]
    with app.app_context():
        assert db.session.query(Department).filter_by(name_zh="代码错误单位").count() == 0


def test_api_respects_role_rights(app):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'viewer')}"}
    response = client.post(
        "/api/v1/department/", json={"name_zh": "只读接口新增", "unit_type": "MUNI_DEPT"}, headers=headers
    )
    assert response.status_code == 403


def test_openapi_documents_labels(app):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'admin')}"}
    spec = client.get("/api/v1/_openapi", headers=headers)
    assert spec.status_code == 200
    assert "/api/v1/department/" in spec.json["paths"]


def test_api_put_changes_only_what_is_sent(app):
    with app.app_context():
        unit = make(db.session, Department, name_zh="接口修改前", short_name_zh="修改前", parent_id=None)
        db.session.commit()
        pk = unit.id
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'admin')}"}
    response = client.put(f"/api/v1/department/{pk}", json={"name_zh": "接口修改后", "row_version": 1},
                          headers=headers)
    assert response.status_code == 200, response.json
    with app.app_context():
        saved = db.session.get(Department, pk)
        assert (saved.name_zh, saved.short_name_zh, saved.parent_id) == ("接口修改后", "修改前", None)
        assert saved.row_version == 2

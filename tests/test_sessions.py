"""Server-side session revocation (app/sessions.py): logout, a new password, deactivation
and an administrator's *End sessions* end every web session and API token of the account.

Each test works on an account of its own: ending a shared role user's sessions would
sign out other tests' clients.
"""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import PASSWORD, login

NEW_PASSWORD = "Fresh-Start-2026"
ENDED = {"zh": "您的会话已结束", "en": "Your session has ended"}
TOKEN_ENDED = {"zh": "此令牌已失效：会话已结束。请重新登录。",
               "en": "This token is no longer valid: the session has ended. Sign in again."}
PAGE = "/users/userinfo/"          # every signed-in user may open his own profile


def new_user(app, role: str = "Viewer") -> str:
    name = f"s{uuid.uuid4().hex[:10]}"
    with app.app_context():
        sm = app.appbuilder.sm
        assert sm.add_user(name, "Session", "Tester", f"{name}@test.xm.gov.cn", [sm.find_role(role)], PASSWORD)
    return name


def web(app, name: str, lang: str = "zh", password: str = PASSWORD):
    return login(app.test_client(), name, password, lang=lang)


def tokens(app, name: str, password: str = PASSWORD) -> tuple[str, str]:
    response = app.test_client().post("/api/v1/security/login", json={
        "username": name, "password": password, "provider": "db", "refresh": True})
    assert response.status_code == 200, response.data
    return response.json["access_token"], response.json["refresh_token"]


def signed_in(client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 200


def api_answers(app, access: str, lang: str = "zh"):
    return app.test_client().get("/api/v1/department/", headers={
        "Authorization": f"Bearer {access}", "Accept-Language": "zh-CN" if lang == "zh" else "en-US"})


def refreshes(app, refresh: str) -> int:
    return app.test_client().post("/api/v1/security/refresh",
                                  headers={"Authorization": f"Bearer {refresh}"}).status_code


def user_id(app, name: str) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_user(username=name).id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_old_cookie_replayed_after_logout_signs_nobody_in(app, lang):
    name = new_user(app)
    client = web(app, name, lang)
    assert signed_in(client)
    copied = client.get_cookie("session").value          # what a thief or a shared PC keeps
    client.post("/logout/")
    assert not signed_in(client)

    replay = app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get(PAGE)
    assert response.status_code == 302 and "/login/" in response.location
    page = replay.get(response.location).data.decode()
    assert ENDED[lang] in page
    assert page.count('class="alert') == 1                 # one message, the one saying why
    assert not signed_in(replay)


def test_logout_ends_the_accounts_other_sessions_and_tokens_too(app):
    name = new_user(app)
    first, second = web(app, name), web(app, name)
    access, refresh = tokens(app, name)
    first.post("/logout/")
    assert not signed_in(second)
    assert api_answers(app, access).status_code == 401
    assert refreshes(app, refresh) == 401
    # Signing in again works as ever.
    assert signed_in(web(app, name))
    assert api_answers(app, tokens(app, name)[0]).status_code == 200


def test_own_password_change_ends_every_other_session_and_token_but_not_this_one(app):
    name = new_user(app)
    changer, other = web(app, name), web(app, name)
    access, refresh = tokens(app, name)
    assert api_answers(app, access).status_code == 200 and refreshes(app, refresh) == 200

    response = changer.post("/resetmypassword/form", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "其他地方的会话和 API 令牌均已失效" in changer.get("/").data.decode()
    assert signed_in(changer)                              # the session that changed it goes on
    assert not signed_in(other)
    assert api_answers(app, access).status_code == 401
    assert refreshes(app, refresh) == 401
    login(app.test_client(), name, NEW_PASSWORD)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_stale_token_is_refused_in_the_users_language(app, lang):
    name = new_user(app)
    access, _refresh = tokens(app, name)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username=name).id, NEW_PASSWORD)
    response = api_answers(app, access, lang)
    assert response.status_code == 401 and response.json["message"] == TOKEN_ENDED[lang]


def test_admin_password_reset_ends_the_users_sessions_not_the_admins(app, as_role):
    name = new_user(app)
    victim = web(app, name)
    access, refresh = tokens(app, name)
    admin = as_role("admin")
    response = admin.post(f"/resetpassword/form?pk={user_id(app, name)}",
                          data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}, follow_redirects=True)
    assert f"{name} 的全部会话已结束" in response.data.decode()
    assert not signed_in(victim)
    assert api_answers(app, access).status_code == 401 and refreshes(app, refresh) == 401
    assert admin.get("/users/list/").status_code == 200
    login(app.test_client(), name, NEW_PASSWORD)


def test_admin_resetting_his_own_password_stays_signed_in(app):
    name = new_user(app, role="Admin")
    admin, elsewhere = web(app, name), web(app, name)
    response = admin.post(f"/resetpassword/form?pk={user_id(app, name)}",
                          data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(admin) and not signed_in(elsewhere)


def test_deactivation_ends_sessions_and_tokens_for_good(app, as_role):
    from app.extensions import db

    name = new_user(app)
    client = web(app, name)
    access, refresh = tokens(app, name)
    admin = as_role("admin")
    page = admin.get(f"/users/edit/{user_id(app, name)}").data.decode()
    assert 'name="active"' in page
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        user.active = False
        db.session.commit()
    assert not signed_in(client)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        user.active = True                   # reactivated: the old cookie and tokens stay dead
        db.session.commit()
    assert not signed_in(client)
    assert api_answers(app, access).status_code == 401 and refreshes(app, refresh) == 401
    assert signed_in(web(app, name))


def test_deactivation_on_the_user_screen_ends_sessions(app, as_role):
    name = new_user(app)
    client = web(app, name)
    admin = as_role("admin")
    uid = user_id(app, name)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=name)
        form = {"first_name": user.first_name, "last_name": user.last_name, "username": name,
                "email": user.email, "roles": [str(r.id) for r in user.roles]}   # "active" left unticked
    response = admin.post(f"/users/edit/{uid}", data=form)
    assert response.status_code == 302, response.data.decode()[:2000]
    with app.app_context():
        assert not app.appbuilder.sm.find_user(username=name).active
    assert not signed_in(client)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_ends_a_users_sessions(app, as_role, lang):
    from sqlalchemy import select

    from app.extensions import db
    from models.audit import AuditLog

    name = new_user(app)
    client = web(app, name, lang)
    access, _refresh = tokens(app, name)
    admin = as_role("admin", lang)
    response = admin.post(f"/users/action/end_sessions/{user_id(app, name)}", follow_redirects=True)
    expected = {"zh": f"已结束全部会话：{name}", "en": f"Signed out everywhere: {name}"}[lang]
    assert expected in response.data.decode()
    assert api_answers(app, access).status_code == 401
    response = client.get(PAGE, follow_redirects=True)
    assert ENDED[lang] in response.data.decode()
    with app.app_context():
        row = db.session.execute(select(AuditLog).where(AuditLog.record_name == name)
                                 .order_by(AuditLog.id.desc())).scalars().first()
        assert (row.action, row.username) == ("UPDATE", "admin")
    assert as_role("viewer").post(f"/users/action/end_sessions/{user_id(app, name)}").status_code in (302, 403)


def test_a_session_without_the_counter_is_signed_out(app):
    """A cookie signed before the counter existed (or forged without it) signs nobody in."""
    name = new_user(app)
    client = web(app, name)
    with client.session_transaction() as session:
        session.pop("_epoch")
    assert not signed_in(client)


def test_a_token_without_the_counter_is_refused(app):
    from flask_jwt_extended import create_access_token

    name = new_user(app)
    with app.test_request_context():
        bare = create_access_token(identity=str(user_id(app, name)), additional_claims={"epoch": None})
    assert api_answers(app, bare).status_code == 401

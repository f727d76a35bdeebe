"""The password policy on every path that sets a password, *Reset my password* asking for
the current one, and a lockout that ends by itself (app/passwords.py,
app/password_screens.py, app/login_guard.py)."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import PASSWORD, login

GOOD = "Fresh-Start-2026"
HAS_NAME = {"zh": "密码不得包含用户名。", "en": "A password may not contain the user name."}
HAS_PERSON = {"zh": "密码不得包含用户的姓名或电子邮箱 @ 前的部分。",
              "en": "A password may not contain the user's name or the name part of the e-mail address."}
WRONG_CURRENT = {"zh": "当前密码不正确。", "en": "The current password is not right."}


def new_user(app, first: str = "Jane", last: str = "Doe", role: str = "Viewer") -> str:
    name = f"p{uuid.uuid4().hex[:9]}"
    with app.app_context():
        sm = app.appbuilder.sm
        assert sm.add_user(name, first, last, f"{name}@test.xm.gov.cn", [sm.find_role(role)], PASSWORD)
    return name


def web(app, name: str, lang: str = "zh"):
    return login(app.test_client(), name, lang=lang)


def with_name(name: str) -> str:
    """A password good in every other way that contains `name` (the reported `clerk2Abc-12`)."""
    return f"{name.upper()[:4]}{name[4:]}Abc-12"


def password_is(app, name: str, password: str) -> bool:
    with app.app_context():
        from werkzeug.security import check_password_hash

        return check_password_hash(app.appbuilder.sm.find_user(username=name).password, password)


def user_id(app, name: str) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_user(username=name).id


# --- the rule ---------------------------------------------------------------------------------
def test_the_rule_refuses_names_and_the_e_mail_name(app):
    from flask_babel import force_locale

    from app.passwords import problems, problems_for

    with app.test_request_context(), force_locale("en"):
        assert problems("clerk2Abc-12", "clerk2") == [HAS_NAME["en"]]
        assert problems("CLERK2abc-12", "Clerk2") == [HAS_NAME["en"]]          # case does not help
        person = "A password may not contain the user's name or the name part of the e-mail address."
        assert problems("Wangfang-2026", "wf01", names=("Wangfang", "")) == [person]
        assert problems("Mail-lin2026", "l01", email="lin2026@xm.gov.cn") == [person]
        assert problems("Li-Abcdef-2026", "x01", names=("Li", "王")) == []       # too short to give anything away
        assert problems_for("Doe-Abcdef-2026", {"username": "u1", "first_name": "J", "last_name": "Doe"}) == [person]
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        assert problems("clerk2Abc-12", "clerk2") == [HAS_NAME["zh"]]


# --- reset my password ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reset_my_password_needs_the_current_one(app, lang):
    name = new_user(app)
    client = web(app, name, lang)
    page = client.get("/resetmypassword/form").data.decode()
    assert 'name="current_password"' in page
    assert {"zh": "当前密码", "en": "Current password"}[lang] in page
    response = client.post("/resetmypassword/form", data={
        "current_password": "Not-Mine-2026", "password": GOOD, "conf_password": GOOD})
    assert response.status_code == 200 and WRONG_CURRENT[lang] in response.data.decode()
    response = client.post("/resetmypassword/form", data={"password": GOOD, "conf_password": GOOD})
    assert response.status_code == 200
    assert password_is(app, name, PASSWORD)
    # A wrong current password counts as a failed sign-in (audited, towards the lockout).
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name).fail_login_count == 1
    response = client.post("/resetmypassword/form", data={
        "current_password": PASSWORD, "password": GOOD, "conf_password": GOOD})
    assert response.status_code == 302 and password_is(app, name, GOOD)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reset_my_password_refuses_my_name(app, lang):
    name = new_user(app, first="Marguerite")
    client = web(app, name, lang)
    for bad, message in ((with_name(name), HAS_NAME), ("Marguerite-2026", HAS_PERSON)):
        response = client.post("/resetmypassword/form", data={
            "current_password": PASSWORD, "password": bad, "conf_password": bad})
        assert response.status_code == 200 and message[lang] in response.data.decode(), bad
    assert password_is(app, name, PASSWORD)


def test_the_password_fields_say_what_the_rule_is(app, as_role):
    page = as_role("viewer").get("/resetmypassword/form").data.decode()
    assert "至少 10 个字符" in page and "不得包含用户名" in page
    assert "this application does not check this for you" not in page


# --- an administrator's paths -----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_reset_refuses_the_users_name(app, as_role, lang):
    name = new_user(app, last="Castellano")
    admin = as_role("admin", lang)
    for bad, message in ((with_name(name), HAS_NAME), ("castellano-2026X", HAS_PERSON)):
        response = admin.post(f"/resetpassword/form?pk={user_id(app, name)}",
                              data={"password": bad, "conf_password": bad})
        assert response.status_code == 200 and message[lang] in response.data.decode(), bad
    assert password_is(app, name, PASSWORD)
    response = admin.post(f"/resetpassword/form?pk={user_id(app, name)}",
                          data={"password": GOOD, "conf_password": GOOD})
    assert response.status_code == 302 and password_is(app, name, GOOD)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_add_user_refuses_a_password_with_the_new_users_name(app, as_role, lang):
    name = f"add{uuid.uuid4().hex[:6]}"
    admin = as_role("admin", lang)
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Viewer").id
    form = {"first_name": "Rosalind", "last_name": "Frank", "username": name, "email": f"{name}@test.xm.gov.cn",
            "active": "y", "roles": [str(role_id)]}
    for bad, message in ((with_name(name), HAS_NAME), ("Rosalind-2026", HAS_PERSON)):
        response = admin.post("/users/add", data={**form, "password": bad, "conf_password": bad})
        assert response.status_code == 200 and message[lang] in response.data.decode(), bad
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name) is None
    assert admin.post("/users/add", data={**form, "password": GOOD, "conf_password": GOOD}).status_code == 302
    login(app.test_client(), name, GOOD)


def test_create_admin_refuses_the_name_and_never_prints_one_containing_it(app):
    runner = app.test_cli_runner()
    name = f"adm{uuid.uuid4().hex[:6]}"
    result = runner.invoke(args=["create-admin", "--username", name, "--password", with_name(name)])
    assert result.exit_code != 0 and "密码不得包含用户名" in result.output
    result = runner.invoke(args=["create-admin", "--username", name, "--password", GOOD,
                                 "--email", f"fresh-start@{name}.cn"])
    assert result.exit_code != 0                     # the e-mail's name part
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name) is None
    result = runner.invoke(args=["create-admin", "--username", name, "--password", GOOD])
    assert result.exit_code == 0, result.output
    login(app.test_client(), name, GOOD)


# --- lockout that cools off -------------------------------------------------------------------
def fail(app, name: str, times: int) -> None:
    client = app.test_client()
    for _ in range(times):
        client.post("/login/", data={"username": name, "password": "Wrong-Pass-2026"})


def set_back(app, name: str, minutes: int) -> None:
    """Move the last failure `minutes` into the past (instead of waiting)."""
    from app.extensions import db

    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        user.last_failed_login -= dt.timedelta(minutes=minutes)
        db.session.commit()


def try_sign_in(app, name: str, lang: str = "zh"):
    return app.test_client().post("/login/", data={"username": name, "password": PASSWORD}, follow_redirects=True,
                                  headers={"Accept-Language": "zh-CN" if lang == "zh" else "en-US"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lock_ends_by_itself_after_the_configured_minutes(app, lang):
    from tests.test_security import audit_actions

    assert app.config["AUTH_LOCKOUT_MINUTES"] == 15
    name = new_user(app)
    fail(app, name, 5)
    page = try_sign_in(app, name, lang).data.decode()
    expected = {"zh": "请 15 分钟后再试，或联系管理员解锁", "en": "Try again in 15 minutes, or ask an administrator"}
    assert expected[lang] in page
    set_back(app, name, 10)
    page = try_sign_in(app, name, lang).data.decode()
    assert {"zh": "请 5 分钟后再试", "en": "Try again in 5 minutes"}[lang] in page
    set_back(app, name, 6)
    login(app.test_client(), name)
    actions = audit_actions(app, name)
    assert [a for a, _, _ in actions] == ["LOGIN_FAILED"] * 4 + ["LOCKED", "LOGIN_FAILED", "LOGIN_FAILED", "UNLOCKED"]
    assert actions[-1][1] == "system"


def test_attempts_while_locked_do_not_extend_the_lock(app):
    name = new_user(app)
    fail(app, name, 5)
    with app.app_context():
        locked_at = app.appbuilder.sm.find_user(username=name).last_failed_login
    fail(app, name, 3)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        assert user.last_failed_login == locked_at and user.fail_login_count == 5


def test_old_failures_do_not_add_up_to_a_lock(app):
    name = new_user(app)
    fail(app, name, 4)
    set_back(app, name, 20)
    fail(app, name, 1)
    login(app.test_client(), name)


def test_the_user_list_says_until_when_and_the_admin_still_unlocks_at_once(app, as_role):
    name = new_user(app)
    fail(app, name, 5)
    admin = as_role("admin")
    assert "已锁定（至 " in admin.get(f"/users/list/?_flt_0_username={name}").data.decode()
    response = admin.post(f"/users/action/unlock/{user_id(app, name)}", follow_redirects=True)
    assert f"已解锁：{name}" in response.data.decode()
    login(app.test_client(), name)


def test_without_a_lock_time_only_an_administrator_unlocks(app):
    from tests.test_security import production_app

    strict = production_app(app, AUTH_LOCKOUT_MINUTES=0, WTF_CSRF_ENABLED=False, AUTH_RATE_LIMITED=False)
    name = new_user(app)
    client = strict.test_client()
    for _ in range(5):
        client.post("/login/", data={"username": name, "password": "Wrong-Pass-2026"})
    set_back(app, name, 60 * 24)
    page = strict.test_client().post("/login/", data={"username": name, "password": PASSWORD},
                                     follow_redirects=True).data.decode()
    assert "请联系管理员解锁" in page and "分钟后再试" not in page


def test_a_lock_from_before_the_clock_existed_opens(app):
    """An account locked before migration 0012 has a count but no failure time: with a lock
    time configured it is not locked for ever."""
    from app.extensions import db

    name = new_user(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        user.fail_login_count, user.last_failed_login = 5, None
        db.session.commit()
    login(app.test_client(), name)

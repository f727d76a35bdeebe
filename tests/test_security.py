"""Hardening a user or an auditor can check: sign-in throttling and lockout, the password
policy, CSRF on every state-changing request, cookies, security headers, secrets.

The shared test app runs without CSRF and without the sign-in throttle (the suite signs
in hundreds of times a minute); tests here build a second app on the same database with
production's settings, which is what a deployment runs.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, login
from tests.helpers import csrf_token_in

ROOT = Path(__file__).resolve().parent.parent

STRONG = "Strong-Pass-2026"
LOCKED_ZH = "账号已连续"   # start of the locked-account message in Chinese


def production_app(app, **overrides):
    """An app like a deployment's (CSRF on, sign-in throttled) on the test database.

    Building one takes seconds; one without the throttle keeps no state of its own (what it
    changes is in the database, which the baseline restores), so the tests share it. A
    throttled one counts sign-ins in memory: every test gets a fresh one."""
    if overrides.get("AUTH_RATE_LIMITED", True):
        return _build_production_app(app, **overrides)
    built = app.extensions.setdefault("test_production_apps", {})
    key = tuple(sorted(overrides.items()))
    if key not in built:
        built[key] = _build_production_app(app, **overrides)
    return built[key]


def _build_production_app(app, **overrides):
    from app import create_app

    settings = dict(
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-secret-key-that-is-long-enough-for-jwt",
        ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"],
        IMPORT_REPORT_DIR=app.config["IMPORT_REPORT_DIR"],
        WTF_CSRF_ENABLED=True,
        AUTH_RATE_LIMITED=True,
        TESTING=True,
    )
    settings.update(overrides)
    return create_app(**settings)


def csrf_token(client, path: str = "/login/") -> str:
    return csrf_token_in(client.get(path).data.decode())


def sign_in(client, username: str, password: str, **kw):
    token = csrf_token(client)
    return client.post("/login/", data={"username": username, "password": password, "csrf_token": token}, **kw)


def new_user(app, role: str = "Clerk", password: str = PASSWORD) -> str:
    name = f"u{uuid.uuid4().hex[:10]}"
    with app.app_context():
        sm = app.appbuilder.sm
        assert sm.add_user(name, "Test", "User", f"{name}@test.xm.gov.cn", [sm.find_role(role)], password)
    return name


def audit_actions(app, record_name: str) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from app.extensions import db
    from models.audit import AuditLog

    with app.app_context():
        rows = db.session.execute(select(AuditLog.action, AuditLog.username, AuditLog.client_addr)
                                  .where(AuditLog.entity == "User", AuditLog.record_name == record_name)
                                  .order_by(AuditLog.id)).all()
    return [tuple(row) for row in rows]


# --- sign-in throttle -----------------------------------------------------------------------
def test_sign_in_is_throttled_per_address_and_name(app):
    strict = production_app(app, AUTH_RATE_LIMIT="3 per minute")
    client = strict.test_client()
    for _ in range(3):
        assert sign_in(client, "nobody-here", "wrong-password").status_code == 302
    refused = sign_in(client, "nobody-here", "wrong-password")
    assert refused.status_code == 429
    assert "登录尝试过多" in refused.data.decode()
    # Another name from the same address (a colleague behind the same NAT) still signs in.
    viewer = strict.test_client()
    response = sign_in(viewer, "viewer", PASSWORD)
    assert response.status_code == 302 and "/login" not in response.location


def test_api_login_is_throttled_too(app):
    strict = production_app(app, AUTH_RATE_LIMIT="3 per minute")
    client = strict.test_client()
    body = {"username": "nobody-api", "password": "wrong-password", "provider": "db"}
    codes = [client.post("/api/v1/security/login", json=body).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.post("/api/v1/security/login", json=body).json["message"] == "登录尝试过多，请稍等一分钟后再试。"
    good = client.post("/api/v1/security/login", json={"username": "viewer", "password": PASSWORD, "provider": "db"})
    assert good.status_code == 200 and "access_token" in good.json


def test_sign_in_throttle_per_address_counts_every_name(app):
    strict = production_app(app, LOGIN_ADDRESS_RATE_LIMIT="4 per minute")
    client = strict.test_client()
    for i in range(4):
        assert sign_in(client, f"guess-{i}", "wrong-password").status_code == 302
    assert sign_in(client, "guess-99", "wrong-password").status_code == 429


def test_forwarded_address_ignored_without_trusted_proxy_and_used_behind_one(app):
    # No proxy trusted: a client cannot dodge the count by inventing X-Forwarded-For.
    strict = production_app(app, AUTH_RATE_LIMIT="2 per minute")
    client = strict.test_client()
    codes = [sign_in(client, "spoofer", "wrong", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    # Behind one trusted proxy the forwarded address is the client: counted apart, and audited.
    proxied = production_app(app, AUTH_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    client = proxied.test_client()
    name = f"proxied-{uuid.uuid4().hex[:6]}"
    codes = [sign_in(client, name, "wrong", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
             for i in range(3)]
    assert codes == [302, 302, 302]
    assert [addr for _, _, addr in audit_actions(app, name)] == ["10.0.0.0", "10.0.0.1", "10.0.0.2"]


# --- lockout ----------------------------------------------------------------------------------
def test_account_locks_after_five_failures_and_an_admin_unlocks_it(app, as_role):
    name = new_user(app)
    client = app.test_client()
    for _ in range(5):
        client.post("/login/", data={"username": name, "password": "Wrong-Pass-2026"})
    # The right password is refused now, and the page says why.
    response = client.post("/login/", data={"username": name, "password": PASSWORD}, follow_redirects=True)
    page = response.data.decode()
    assert LOCKED_ZH in page and "管理员解锁" in page
    assert client.get("/documentview/list/").status_code == 302       # still not signed in
    actions = [action for action, _, _ in audit_actions(app, name)]
    assert actions == ["LOGIN_FAILED"] * 4 + ["LOCKED", "LOGIN_FAILED"]

    # The user list shows it; a Clerk cannot unlock; the admin can.
    admin = as_role("admin")
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=name).id
    assert "已锁定" in admin.get(f"/users/list/?_flt_0_username={name}").data.decode()
    assert as_role("clerk").post(f"/users/action/unlock/{user_id}").status_code in (302, 403)
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name).fail_login_count == 5
    response = admin.post(f"/users/action/unlock/{user_id}", follow_redirects=True)
    assert f"已解锁：{name}" in response.data.decode()
    assert audit_actions(app, name)[-1][:2] == ("UNLOCKED", "admin")
    login(app.test_client(), name)


def test_new_password_from_the_admin_unlocks(app):
    name = new_user(app)
    client = app.test_client()
    for _ in range(5):
        client.post("/login/", data={"username": name, "password": "Wrong-Pass-2026"})
    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username=name).id, STRONG)
    login(app.test_client(), name, STRONG)


def test_lockout_can_be_switched_off(app):
    lenient = production_app(app, AUTH_LOCKOUT_AFTER=0, WTF_CSRF_ENABLED=False, AUTH_RATE_LIMITED=False)
    name = new_user(app)
    client = lenient.test_client()
    for _ in range(7):
        client.post("/login/", data={"username": name, "password": "Wrong-Pass-2026"})
    login(lenient.test_client(), name)


# --- password policy ----------------------------------------------------------------------
@pytest.mark.parametrize("weak, reason", [
    ("Sh0rt!", "至少需要 10 个字符"),
    ("alllowercase-letters", "四类中的三类"),
])
def test_admin_cannot_give_a_weak_password(app, as_role, weak, reason):
    name = f"weak{uuid.uuid4().hex[:6]}"
    admin = as_role("admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Clerk").id
    response = admin.post("/users/add", data={
        "first_name": "Weak", "last_name": "Pass", "username": name, "email": f"{name}@test.xm.gov.cn",
        "active": "y", "roles": [str(role_id)], "password": weak, "conf_password": weak})
    assert response.status_code == 200 and reason in response.data.decode()
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name) is None
    response = admin.post("/users/add", data={
        "first_name": "Good", "last_name": "Policy", "username": name, "email": f"{name}@test.xm.gov.cn",
        "active": "y", "roles": [str(role_id)], "password": STRONG, "conf_password": STRONG})
    assert response.status_code == 302
    login(app.test_client(), name, STRONG)


def test_password_rules_in_english_and_the_name_itself_is_refused(app):
    from flask_babel import force_locale

    from app.passwords import generate_password, problems

    with app.test_request_context(), force_locale("en"):
        assert problems("Abcdefgh12") == []
        assert problems("short") == ["A password needs at least 10 characters.",
                                     "A password needs three of these four: lower-case letters, upper-case letters, "
                                     "digits, symbols."]
        assert problems("Zhangsan-2026", "zhangsan") == ["A password may not contain the user name."]
        made = {generate_password() for _ in range(20)}
        assert len(made) == 20 and all(problems(p) == [] for p in made)


# --- no default admin password ---------------------------------------------------------------
def test_create_admin_prints_a_new_random_password_each_time_and_refuses_a_weak_one(app):
    runner = app.test_cli_runner()
    name = f"adm{uuid.uuid4().hex[:6]}"
    passwords = []
    for _ in range(2):
        result = runner.invoke(args=["create-admin", "--username", name, "--email", f"{name}@test.xm.gov.cn"])
        assert result.exit_code == 0, result.output
        passwords.append(re.search(rf"{name} / (\S+)", result.output).group(1))
    assert passwords[0] != passwords[1]
    login(app.test_client(), name, passwords[1])
    result = runner.invoke(args=["create-admin", "--username", f"{name}x", "--password", "admin"])
    assert result.exit_code != 0
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=f"{name}x") is None


# --- secrets ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [None, "", "embedded-run-only-not-secret", "too-short"])
def test_no_start_outside_the_embedded_run_without_a_real_secret_key(key):
    from app import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(EMBEDDED=False, SECRET_KEY=key)


def test_the_embedded_run_refuses_the_old_public_key_too():
    from app import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(EMBEDDED=True, SECRET_KEY="embedded-run-only-not-secret")


def test_the_embedded_run_makes_its_own_key_once_readable_by_its_owner_only(tmp_path):
    from app import secret_key

    config = {"EMBEDDED": True, "SECRET_KEY": None}
    first = secret_key(config, str(tmp_path))
    assert len(first) >= 32 and first == secret_key(config, str(tmp_path))
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert secret_key(config, str(other)) != first          # no two installations share a key


def test_make_serve_without_a_secret_key_refuses_to_start():
    """`make serve` marks its run as not embedded, even on the SQLite default."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    probe = subprocess.run([sys.executable, "-c", "from app import create_app; create_app()"], cwd=ROOT,
                           env={**env, "OFFICE_EMBEDDED": "0", "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True)
    assert probe.returncode != 0 and "SECRET_KEY must be set" in probe.stderr
    assert "OFFICE_EMBEDDED = 0" in (ROOT / "Makefile").read_text()


# --- CSRF ----------------------------------------------------------------------------------------
def _url(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", "1", url)
    return url


def test_every_state_changing_route_refuses_a_post_without_its_token(app):
    """Walk the whole URL map: each POST route outside the token-authenticated REST API
    must refuse a cookie-authenticated POST that carries no CSRF token."""
    from flask_appbuilder.api import BaseApi

    strict = production_app(app, AUTH_RATE_LIMITED=False)
    csrf = strict.extensions["csrf"]
    api_blueprints = {view.blueprint.name for view in strict.appbuilder.baseviews
                      if isinstance(view, BaseApi) and getattr(view, "blueprint", None) is not None}
    assert {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints} <= api_blueprints
    assert not csrf._exempt_views
    client = strict.test_client()
    token = csrf_token(client)
    client.post("/login/", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    checked = []
    for rule in strict.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.split(".")[0] in api_blueprints:
            continue
        response = client.post(_url(rule), data={"name": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        checked.append(rule.rule)
    assert {"/login/", "/logout/", "/lang/", "/documentview/add", "/users/add", "/lang/<locale>"} <= set(checked)
    assert any(r.startswith("/console/") for r in checked)
    assert len(checked) > 100


def test_language_switch_needs_post_and_token(app):
    strict = production_app(app, AUTH_RATE_LIMITED=False)
    client = strict.test_client()
    token = csrf_token(client)
    client.post("/login/", data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert client.get("/lang/en").status_code == 405
    refused = client.post("/lang/en")
    assert refused.status_code == 400 and "表单被拒绝" in refused.data.decode()
    home = client.get("/").data.decode()
    assert "首页" in home and "Home" not in home
    token = csrf_token_in(home)
    assert client.post("/lang/", data={"locale": "en", "csrf_token": token}).status_code == 302
    assert "首页" not in client.get("/").data.decode()
    client.post("/lang/", data={"locale": "zh_Hans_CN", "csrf_token": token})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_logout_needs_the_panels_form_not_a_link(app, lang):
    """Logout ends every session of the account, so another site's `<img src=/logout/>` or a
    POST without the token must not do it; the menu's button does."""
    strict = production_app(app, AUTH_RATE_LIMITED=False)
    client = strict.test_client()
    client.post("/login/", data={"username": "viewer", "password": PASSWORD, "csrf_token": csrf_token(client)})
    client.post("/lang/", data={"locale": "en" if lang == "en" else "zh_Hans_CN",
                                "csrf_token": csrf_token(client, "/")})
    asked = client.get("/logout/")
    page = asked.data.decode()
    assert asked.status_code == 200
    assert ("Signing out ends your sessions" if lang == "en" else "退出登录将结束") in page
    assert client.post("/logout/").status_code == 400
    assert client.get("/").status_code == 200                      # still signed in
    home = client.get("/").data.decode()
    assert 'action="/logout/"' in home and 'href="/logout/"' not in home
    assert client.post("/logout/", data={"csrf_token": csrf_token_in(home)}).status_code == 302
    assert client.get("/").status_code == 302                      # signed out


def test_delete_by_get_changes_nothing_when_csrf_is_on(app):
    from app.extensions import db
    from models.documents import Document
    from tests.factories import make

    with app.app_context():
        doc_id = make(db.session, Document).id
        db.session.commit()
    strict = production_app(app, AUTH_RATE_LIMITED=False)
    client = strict.test_client()
    client.post("/login/", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_token(client)})
    client.get(f"/documentview/delete/{doc_id}")
    with app.app_context():
        assert not db.session.get(Document, doc_id).is_deleted


# --- cookies and headers -------------------------------------------------------------------------
def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_httponly_samesite_and_secure_over_https(app):
    plain = production_app(app, AUTH_RATE_LIMITED=False)
    cookie = _session_cookie(sign_in(plain.test_client(), "viewer", PASSWORD))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = plain.test_client()
    token = csrf_token(https)
    response = https.post("/login/", base_url="https://localhost",
                          data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert "Secure" in _session_cookie(response)
    # Behind a trusted TLS-terminating proxy, its X-Forwarded-Proto counts; from anyone else it does not.
    for proxies, secure in ((1, True), (0, False)):
        behind = production_app(app, AUTH_RATE_LIMITED=False, TRUSTED_PROXIES=proxies)
        client = behind.test_client()
        response = sign_in(client, "viewer", PASSWORD, headers={"X-Forwarded-Proto": "https"})
        assert ("Secure" in _session_cookie(response)) is secure


@pytest.mark.parametrize("path", ["/login/", "/", "/documentview/list/", "/documentview/add", "/console/",
                                  "/console/lookups/", "/users/list/"])
def test_security_headers_and_script_nonces_on_every_page(app, as_role, path):
    response = (app.test_client() if path == "/login/" else as_role("admin")).get(path)
    assert response.status_code == 200
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "unsafe-eval" not in csp
    page = response.data.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), [t for t in scripts if nonce not in t]
    assert not re.search(r"\son(click|change|submit|load)=", page)    # inline handlers would be blocked


def test_nonce_differs_between_requests(as_role):
    client = as_role("viewer")
    first = client.get("/").headers["Content-Security-Policy"]
    assert first != client.get("/").headers["Content-Security-Policy"]

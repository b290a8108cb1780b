"""Sessions that end (issue 20): a session cookie saved before logout, a password change,
deactivation or an admin's "akhiri semua sesi" gets the login page; API tokens follow their
own rules (revoked or owner inactive → 401)."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.audit.models import AuditLog
from assets_app.auth.models import User
from tests.factories import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang"


def _csrf(client, path="/masuk"):
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _sign_in(app, username, password=PASSWORD):
    """A new browser that logs in through the form; returns it."""
    browser = app.test_client()
    resp = browser.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": _csrf(browser)},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return browser


def _saved(browser) -> str:
    return browser.get_cookie("session").value


def _replay(app, cookie: str):
    """Another browser presenting a saved session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _sends_to_login(browser) -> bool:
    resp = browser.get("/beranda")
    return resp.status_code == 302 and "/masuk" in resp.headers["Location"]


def _post(browser, path, data=None, token_path="/akun/sandi"):
    return browser.post(path, data={**(data or {}), "csrf_token": _csrf(browser, token_path)})


def test_saved_cookie_opens_home_until_logout(app, users):
    browser = _sign_in(app, "petugas")
    saved = _saved(browser)
    assert _replay(app, saved).get("/beranda").status_code == 200
    assert _post(browser, "/keluar").status_code == 302
    assert _sends_to_login(browser)
    assert _sends_to_login(_replay(app, saved))


def test_logout_ends_the_accounts_other_sessions_too(app, users):
    office = _sign_in(app, "kadis")
    home = _sign_in(app, "kadis")
    assert home.get("/beranda").status_code == 200
    _post(office, "/keluar")
    assert _sends_to_login(home)
    # Another account's session is untouched.
    other = _sign_in(app, "petugas")
    _post(_sign_in(app, "kadis"), "/keluar")
    assert other.get("/beranda").status_code == 200


def test_password_change_keeps_this_session_and_ends_the_others(app, users):
    here = _sign_in(app, "petugas")
    before = _saved(here)
    elsewhere = _sign_in(app, "petugas")
    resp = _post(
        here,
        "/akun/sandi",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert resp.status_code == 302
    assert here.get("/beranda").status_code == 200  # re-issued
    assert _saved(here) != before
    assert _sends_to_login(elsewhere)
    assert _sends_to_login(_replay(app, before))


def test_failed_password_change_ends_nothing(app, users):
    here = _sign_in(app, "petugas")
    elsewhere = _sign_in(app, "petugas")
    resp = _post(here, "/akun/sandi", {"current": PASSWORD, "new": "pendek", "confirm": "pendek"})
    assert "minimal 10 karakter" in resp.get_data(as_text=True)
    assert here.get("/beranda").status_code == 200
    assert elsewhere.get("/beranda").status_code == 200


def test_admin_password_reset_ends_the_users_sessions(app, users):
    victim = _sign_in(app, "camat.pujer")
    admin = _sign_in(app, "admin")
    uid = users["camat"].id
    resp = _post(admin, f"/admin/pengguna/{uid}/reset-sandi", {"reset-password": NEW_PASSWORD})
    assert resp.status_code == 302
    assert _sends_to_login(victim)
    assert admin.get("/beranda").status_code == 200


def test_deactivation_ends_sessions_and_tokens(app, db, users, api_token):
    victim = _sign_in(app, "camat.pujer")
    saved = _saved(victim)
    headers = api_token(users["camat"])
    assert victim.get("/api/v1/assets", headers=headers).status_code == 200
    admin = _sign_in(app, "admin")
    uid = users["camat"].id
    resp = _post(admin, f"/admin/pengguna/{uid}/nonaktifkan")
    assert resp.status_code == 302
    assert db.session.get(User, uid).active is False
    assert _sends_to_login(victim)
    assert _sends_to_login(_replay(app, saved))
    resp = app.test_client().get("/api/v1/assets", headers=headers)
    assert resp.status_code == 401
    assert "dicabut" in resp.get_json()["errors"]["_schema"][0]
    # Reactivated, the old cookie still does not come back.
    _post(admin, f"/admin/pengguna/{uid}/nonaktifkan")
    assert db.session.get(User, uid).active is True
    assert _sends_to_login(_replay(app, saved))
    assert app.test_client().get("/api/v1/assets", headers=headers).status_code == 200


def test_revoked_token_gets_401(app, db, users, api_token):
    headers = api_token(users["petugas"])
    browser = _sign_in(app, "petugas")
    assert browser.get("/api/v1/assets", headers=headers).status_code == 200
    token_id = db.session.scalar(
        sa.text("SELECT id FROM api_tokens WHERE user_id = :u"), {"u": users["petugas"].id}
    )
    resp = _post(browser, f"/akun/token/{token_id}/cabut", token_path="/akun/token")
    assert resp.status_code == 302
    resp = app.test_client().get("/api/v1/assets", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_session_cookie_is_never_an_api_credential(app, users):
    browser = _sign_in(app, "petugas")
    assert browser.get("/api/v1/assets").status_code == 401


def test_admin_ends_all_sessions_of_a_user(app, db, users, api_token):
    office = _sign_in(app, "petugas")
    home = _sign_in(app, "petugas")
    headers = api_token(users["petugas"])
    admin = _sign_in(app, "admin.bondowoso")
    uid = users["petugas"].id
    page = admin.get(f"/admin/pengguna/{uid}").get_data(as_text=True)
    assert f'action="/admin/pengguna/{uid}/akhiri-sesi"' in page
    assert 'data-confirm="Akhiri semua sesi petugas?' in page
    resp = _post(admin, f"/admin/pengguna/{uid}/akhiri-sesi")
    assert resp.status_code == 302
    assert "Semua sesi petugas telah diakhiri" in admin.get(resp.headers["Location"]).get_data(
        as_text=True
    )
    assert _sends_to_login(office)
    assert _sends_to_login(home)
    assert admin.get("/beranda").status_code == 200
    # Tokens are not sessions: the owner revokes them, deactivation refuses them.
    assert app.test_client().get("/api/v1/assets", headers=headers).status_code == 200
    # The user logs in again as usual, and the admin's act is in the audit log.
    assert _sign_in(app, "petugas").get("/beranda").status_code == 200
    row = db.session.scalars(
        sa.select(AuditLog)
        .where(AuditLog.entity == "users", AuditLog.entity_id == str(uid))
        .order_by(AuditLog.id.desc())
    ).first()
    assert row.actor == "admin.bondowoso"
    assert "session_version" in row.changes


def test_scoped_admin_cannot_end_sessions_outside_scope(app, users):
    serang = _sign_in(app, "petugas.serang")
    admin = _sign_in(app, "admin.bondowoso")
    uid = users["petugas_serang"].id
    resp = _post(admin, f"/admin/pengguna/{uid}/akhiri-sesi")
    assert resp.status_code == 404
    assert serang.get("/beranda").status_code == 200


def test_end_sessions_without_csrf_token_is_refused(app, users):
    victim = _sign_in(app, "petugas")
    admin = _sign_in(app, "admin")
    resp = admin.post(f"/admin/pengguna/{users['petugas'].id}/akhiri-sesi")
    assert resp.status_code == 400
    assert victim.get("/beranda").status_code == 200


def test_cookie_without_session_version_gets_login_page(app, client, users):
    # A cookie from before session versions (or forged without one) names only the user id.
    with client.session_transaction() as sess:
        sess["_user_id"] = str(users["admin"].id)
        sess["_fresh"] = True
    assert _sends_to_login(client)
    for bad in (f"{users['admin'].id}:x", f"{users['admin'].id}:99", "x:1", ":", "9" * 40 + ":1"):
        with client.session_transaction() as sess:
            sess["_user_id"] = bad
        assert _sends_to_login(client), bad

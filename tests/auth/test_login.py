import sqlalchemy as sa

from assets_app.auth.models import User
from tests.factories import PASSWORD, make_user


def _csrf(client, path="/masuk"):
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_login_form_logs_in_and_records_time(client, users, db):
    token = _csrf(client)
    resp = client.post(
        "/masuk", data={"username": "camat.pujer", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/beranda")
    assert client.get("/wilayah/35.11.05").status_code == 200
    assert db.session.scalar(sa.select(User.last_login_at).where(User.username == "camat.pujer"))


def test_wrong_password_gives_one_generic_message(client, users):
    token = _csrf(client)
    resp = client.post(
        "/masuk", data={"username": "camat.pujer", "password": "salah-sekali!", "csrf_token": token}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in html
    unknown = client.post(
        "/masuk", data={"username": "tidak.ada", "password": "x" * 12, "csrf_token": token}
    )
    assert "Nama pengguna atau kata sandi salah" in unknown.get_data(as_text=True)
    assert client.get("/beranda").status_code == 302


def test_inactive_user_cannot_log_in(client, regions):
    make_user("petugas", "35.11", username="nonaktif", active=False)
    token = _csrf(client)
    resp = client.post(
        "/masuk", data={"username": "nonaktif", "password": PASSWORD, "csrf_token": token}
    )
    assert "Nama pengguna atau kata sandi salah" in resp.get_data(as_text=True)
    assert client.get("/beranda").status_code == 302


def test_missing_csrf_token_is_refused_in_indonesian(client, users):
    resp = client.post("/masuk", data={"username": "camat.pujer", "password": PASSWORD})
    assert resp.status_code == 400
    assert "Token keamanan formulir" in resp.get_data(as_text=True)


def test_logout_ends_session(client, login, users):
    login(users["camat"])
    token = _csrf(client, "/akun/sandi")
    resp = client.post("/keluar", data={"csrf_token": token})
    assert resp.status_code == 302
    # the browser then drops the offline queue and cached pages (tests/browser/test_logout_*)
    assert resp.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/beranda").status_code == 302


def test_open_redirect_is_ignored(client, users):
    token = _csrf(client)
    resp = client.post(
        "/masuk?next=https://contoh.invalid/",
        data={"username": "camat.pujer", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"].endswith("/beranda")


def test_change_password_requires_current_and_length(client, login, users, app):
    login(users["petugas"])
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        short = client.post(
            "/akun/sandi", data={"current": PASSWORD, "new": "pendek", "confirm": "pendek"}
        )
        assert "minimal 10 karakter" in short.get_data(as_text=True)
        wrong = client.post(
            "/akun/sandi",
            data={
                "current": "bukan-sandi-ini",
                "new": "sandi-baru-panjang",
                "confirm": "sandi-baru-panjang",
            },
        )
        assert "Kata sandi saat ini salah" in wrong.get_data(as_text=True)
        ok = client.post(
            "/akun/sandi",
            data={
                "current": PASSWORD,
                "new": "sandi-baru-panjang",
                "confirm": "sandi-baru-panjang",
            },
        )
        assert ok.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    from assets_app.auth.services import authenticate

    assert authenticate("petugas", "sandi-baru-panjang") is not None


def test_security_headers_present(client):
    resp = client.get("/masuk")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    assert "unsafe-inline" not in csp


def test_session_cookie_flags(client, users):
    token = _csrf(client)
    resp = client.post(
        "/masuk", data={"username": "camat.pujer", "password": PASSWORD, "csrf_token": token}
    )
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_oversized_upload_gets_413_page(client, app, users, login):
    login(users["admin"])
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        resp = client.post("/akun/sandi", data={"current": "x" * 4096})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert resp.status_code == 413
    assert "Berkas terlalu besar" in resp.get_data(as_text=True)

import sqlalchemy as sa

from assets_app.auth.models import ApiToken, User


def test_users_create_from_stdin(runner, regions, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "kadis.baru",
            "--role",
            "kadis",
            "--region",
            "35.11",
            "--name",
            "Kadis Baru",
            "--password-stdin",
        ],
        input="sandi-yang-panjang\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "kadis.baru"))
    assert user.region_code == "35.11"


def test_users_create_unknown_region_fails_cleanly(runner, regions, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "x.y.z",
            "--role",
            "petugas",
            "--region",
            "99.99",
            "--password-stdin",
        ],
        input="sandi-yang-panjang\n",
    )
    assert result.exit_code == 1
    assert "Kode wilayah 99.99 tidak dikenal" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_create_requires_region_except_admin(runner, regions):
    result = runner.invoke(
        args=["users", "create", "petugas.x", "--role", "petugas", "--password-stdin"],
        input="sandi-yang-panjang\n",
    )
    assert result.exit_code == 1
    assert "Wilayah wajib diisi" in result.output
    ok = runner.invoke(
        args=["users", "create", "root", "--role", "admin", "--password-stdin"],
        input="sandi-yang-panjang\n",
    )
    assert ok.exit_code == 0


def test_users_token_prints_one_line_and_stores_only_hash(runner, users, db, client):
    result = runner.invoke(args=["users", "token", "petugas"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    token = lines[0]
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.token_hash != token and token not in stored.token_hash
    resp = client.get("/api/v1/regions?parent=35.11", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.headers["X-Total-Count"] == "23"


def test_users_token_unknown_user(runner, regions):
    result = runner.invoke(args=["users", "token", "siapa"])
    assert result.exit_code == 1
    assert "tidak ditemukan" in result.output


def test_revoked_token_is_refused(client, login, users, api_token, app, db):
    headers = api_token(users["petugas"])
    assert client.get("/api/v1/regions", headers=headers).status_code == 200
    login(users["petugas"])
    tok = db.session.scalar(sa.select(ApiToken))
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post(f"/akun/token/{tok.id}/cabut").status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    resp = client.get("/api/v1/regions", headers=headers)
    assert resp.status_code == 401
    assert "dicabut" in resp.get_json()["errors"]["_schema"][0]


def test_tokens_page_lists_tokens_with_last_use(client, login, users, api_token):
    headers = api_token(users["camat"])
    client.get("/api/v1/regions", headers=headers)
    login(users["camat"])
    html = client.get("/akun/token").get_data(as_text=True)
    assert "uji" in html and "WIB" in html

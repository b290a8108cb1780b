import sqlalchemy as sa

from assets_app.audit.models import AuditLog
from assets_app.auth.models import User


def _post(client, app, path, data):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        return client.post(path, data=data)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def _audit(db, action, entity_id):
    return db.session.scalars(
        sa.select(AuditLog)
        .where(
            AuditLog.entity == "users",
            AuditLog.action == action,
            AuditLog.entity_id == str(entity_id),
        )
        .order_by(AuditLog.id)
    ).all()


def test_admin_creates_user_and_audit_row_is_written(client, app, login, users, db):
    login(users["admin"])
    resp = _post(
        client,
        app,
        "/admin/pengguna/baru",
        {
            "username": "camat.maesan",
            "name": "Operator Maesan",
            "role": "camat",
            "region_code": "35.11.01",
            "password": "sandi-awal-panjang",
        },
    )
    assert resp.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "camat.maesan"))
    rows = _audit(db, "insert", user.id)
    assert len(rows) == 1
    assert rows[0].actor == "admin"
    assert rows[0].changes["role"] == "camat"
    assert rows[0].changes["password_hash"] == "***"
    assert rows[0].region_code == "35.11.01"


def test_edit_and_deactivate_leave_update_rows(client, app, login, users, db):
    login(users["admin"])
    target = users["camat2"]
    resp = _post(
        client,
        app,
        f"/admin/pengguna/{target.id}",
        {
            "username": target.username,
            "name": "Nama Baru",
            "role": "camat",
            "region_code": "35.11.06",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    assert _post(client, app, f"/admin/pengguna/{target.id}/nonaktifkan", {}).status_code == 302
    rows = _audit(db, "update", target.id)
    assert [r.changes for r in rows] == [
        {"name": ["Pengguna camat", "Nama Baru"]},
        # Deactivation also ends the user's sessions (tests/auth/test_sessions.py).
        {"active": [True, False], "session_version": [1, 2]},
    ]


def test_bad_user_input_keeps_what_was_typed(client, app, login, users):
    login(users["admin"])
    resp = _post(
        client,
        app,
        "/admin/pengguna/baru",
        {
            "username": "Bad Name!",
            "name": "Operator Baru",
            "role": "camat",
            "region_code": "35.11",
            "password": "pendek",
        },
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Nama pengguna 3–40 karakter" in html
    assert 'value="Operator Baru"' in html


def test_camat_must_sit_on_a_kecamatan(client, app, login, users):
    login(users["admin"])
    resp = _post(
        client,
        app,
        "/admin/pengguna/baru",
        {
            "username": "camat.salah",
            "name": "X",
            "role": "camat",
            "region_code": "35.11",
            "password": "sandi-awal-panjang",
        },
    )
    assert "harus bercakupan satu kecamatan" in resp.get_data(as_text=True)


def test_scoped_admin_cannot_grant_scope_outside_own(client, app, login, users, db):
    login(users["admin_kab"])
    resp = _post(
        client,
        app,
        "/admin/pengguna/baru",
        {
            "username": "petugas.luar",
            "name": "X",
            "role": "petugas",
            "region_code": "36.73",
            "password": "sandi-awal-panjang",
        },
    )
    assert resp.status_code == 200
    assert db.session.scalar(sa.select(User).where(User.username == "petugas.luar")) is None


def test_admin_cannot_deactivate_self(client, app, login, users, db):
    login(users["admin"])
    _post(client, app, f"/admin/pengguna/{users['admin'].id}/nonaktifkan", {})
    db.session.expire_all()
    assert db.session.get(User, users["admin"].id).active is True


def test_reset_password_validates_length(client, app, login, users):
    login(users["admin"])
    resp = _post(
        client,
        app,
        f"/admin/pengguna/{users['camat'].id}/reset-sandi",
        {"reset-password": "pendek"},
    )
    assert resp.status_code == 422
    assert "minimal 10 karakter" in resp.get_data(as_text=True)
    ok = _post(
        client,
        app,
        f"/admin/pengguna/{users['camat'].id}/reset-sandi",
        {"reset-password": "sandi-reset-panjang"},
    )
    assert ok.status_code == 302


def test_audit_rows_cannot_be_changed(app, users, db):
    import pytest

    row = db.session.scalars(sa.select(AuditLog)).first()
    row.actor = "pemalsu"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_audit_page_filters_and_scopes(client, login, users, db):
    login(users["kadis"])
    html = client.get("/admin/audit/?entity=users").get_data(as_text=True)
    assert "Pengguna #" in html  # the entity's label (audit.wording), not the table name
    # Kadis of 35.11 sees no rows of Kota Serang's petugas.
    assert f"Pengguna#{users['petugas_serang'].id}<" not in html.replace(" ", "")
    bad = client.get("/admin/audit/?from=bukan-tanggal").get_data(as_text=True)
    assert "tidak valid" in bad


def test_login_time_alone_writes_no_audit_row(client, users, db):
    from tests.auth.test_login import _csrf
    from tests.factories import PASSWORD

    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    token = _csrf(client)
    client.post(
        "/masuk", data={"username": "camat.pujer", "password": PASSWORD, "csrf_token": token}
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before


def test_users_list_paginates(client, login, users):
    login(users["admin"])
    html = client.get("/admin/pengguna?per_page=3&page=2").get_data(as_text=True)
    assert "halaman 2 dari 3" in html
    assert "page=3" in html

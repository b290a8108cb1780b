import pytest

from tests.access import Case, check, expect, params

ADMIN_ONLY = expect(kadis=403, petugas=403, camat=403, dprd=403)


def _user(name):
    return lambda ctx: f"/admin/pengguna/{ctx['users'][name].id}"


CASES = [
    Case(
        "auth.login",
        "/masuk",
        expect(anon=200, admin=302, kadis=302, petugas=302, camat=302, dprd=302),
    ),
    Case(
        "auth.logout",
        "/keluar",
        expect(anon=302, admin=302, kadis=302, petugas=302, camat=302, dprd=302),
        method="POST",
    ),
    Case("auth.change_password", "/akun/sandi", expect()),
    Case("auth.tokens", "/akun/token", expect()),
    Case(
        "auth.revoke_token",
        "/akun/token/999999/cabut",
        expect(anon=302, admin=404, kadis=404, petugas=404, camat=404, dprd=404),
        method="POST",
    ),
    Case("auth.users", "/admin/pengguna", ADMIN_ONLY),
    Case("auth.user_new", "/admin/pengguna/baru", ADMIN_ONLY),
    Case("auth.user_edit", _user("camat"), ADMIN_ONLY, out_path=_user("petugas_serang")),
    Case(
        "auth.user_reset_password", _user("camat"), ADMIN_ONLY, method="POST", id="reset GET-less"
    ),
    Case(
        "auth.user_toggle_active", _user("camat"), ADMIN_ONLY, method="POST", id="toggle GET-less"
    ),
    Case(
        "auth.user_end_sessions",
        lambda ctx: f"/admin/pengguna/{ctx['users']['camat2'].id}/akhiri-sesi",
        expect(kadis=403, petugas=403, camat=403, dprd=403, admin=302),
        method="POST",
        out_path=lambda ctx: f"/admin/pengguna/{ctx['users']['petugas_serang'].id}/akhiri-sesi",
    ),
]
# Two of the POST-only admin actions are exercised with their own URLs below.
CASES[-3].path = lambda ctx: f"/admin/pengguna/{ctx['users']['camat2'].id}/reset-sandi"
CASES[-3].expect = expect(kadis=403, petugas=403, camat=403, dprd=403, admin=422)
CASES[-2].path = lambda ctx: f"/admin/pengguna/{ctx['users']['camat2'].id}/nonaktifkan"
CASES[-2].expect = expect(kadis=403, petugas=403, camat=403, dprd=403, admin=302)


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)


def test_scoped_admin_cannot_open_users_outside_scope(app, client, login, users):
    login(users["admin_kab"])
    assert client.get(f"/admin/pengguna/{users['camat'].id}").status_code == 200
    assert client.get(f"/admin/pengguna/{users['petugas_serang'].id}").status_code == 404
    assert client.get(f"/admin/pengguna/{users['admin'].id}").status_code == 404

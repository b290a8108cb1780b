import pytest

from tests.access import Case, check, expect, params

ADMIN_ONLY = expect(kadis=403, petugas=403, camat=403, dprd=403)

CASES = [
    Case("notify.profile", "/akun/profil", expect()),
    Case("notify.outbox", "/admin/notifikasi", ADMIN_ONLY),
    Case("notify.role_defaults", "/admin/notifikasi/peran", ADMIN_ONLY),
    Case("notify.silent_list", "/gangguan", expect(camat=403, dprd=403)),
    Case(
        "notify.resend",
        "/admin/notifikasi/999999/kirim-ulang",
        expect(admin=404, kadis=403, petugas=403, camat=403, dprd=403),
        method="POST",
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

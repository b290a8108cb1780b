import pytest

from tests.access import Case, check, expect, params

CASES = [
    Case(
        "core.index", "/", expect(anon=302, admin=302, kadis=302, petugas=302, camat=302, dprd=302)
    ),
    Case("core.home", "/beranda", expect()),
    Case("core.inbox", "/perlu-tindakan", expect()),
    Case("core.healthz", "/healthz", expect(anon=200)),
    Case(
        "core.public_address",
        "/admin/alamat-publik",
        expect(kadis=403, petugas=403, camat=403, dprd=403),
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

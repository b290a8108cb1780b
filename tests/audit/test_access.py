import pytest

from tests.access import Case, check, expect, params

CASES = [
    Case("audit.index", "/admin/audit/", expect(petugas=403, camat=403, dprd=403)),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

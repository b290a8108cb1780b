import pytest

from tests.access import Case, check, expect, params

PUBLIC = expect(anon=200)
DAILY = expect(dprd=403)
BOARD_ADMIN = expect(camat=403, dprd=403)

CASES = [
    Case("field.daily", "/lapor-harian", DAILY),
    Case("field.fresh_token", "/formulir/token", expect()),
    Case("field.service_worker", "/sw.js", PUBLIC),
    Case("field.board", "/status/35.11", PUBLIC),
    Case("field.board_index", "/status", BOARD_ADMIN),
    Case("field.board_json", "/status/35.11.json", PUBLIC),
    Case(
        "field.board_settings",
        "/status/35.11/pengaturan",
        BOARD_ADMIN,
        out_path="/status/36.73/pengaturan",
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

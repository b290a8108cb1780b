import pytest

from tests.access import Case, check, expect, params

CASES = [
    Case("regions.index", "/wilayah/", expect()),
    Case(
        "regions.detail",
        "/wilayah/35.11.05",
        expect(),
        out_path="/wilayah/36.73.05",
    ),
    # A camat of Pujer (35.11.05) may not open the kabupaten above it.
    Case("regions.detail", "/wilayah/35.11", expect(camat=404), id="kabupaten page"),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

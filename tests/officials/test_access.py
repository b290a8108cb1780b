import pytest

from assets_app.extensions import db
from assets_app.officials.models import Official
from tests.access import Case, check, expect, params
from tests.officials.conftest import NIP

ADMINS = expect(petugas=403, camat=403, dprd=403)


def _setup(ctx):
    ctx["mine"] = Official(region_code="35.11", name="A", nip=NIP, position="Kepala", signs=[])
    ctx["theirs"] = Official(region_code="36.73", name="B", nip=NIP, position="Kepala", signs=[])
    db.session.add_all([ctx["mine"], ctx["theirs"]])
    db.session.commit()


CASES = [
    Case("officials.index", "/admin/pejabat", ADMINS),
    Case(
        "officials.edit",
        lambda ctx: f"/admin/pejabat/{ctx['mine'].id}",
        ADMINS,
        out_path=lambda ctx: f"/admin/pejabat/{ctx['theirs'].id}",
        setup=_setup,
    ),
    Case(
        "officials.logo",
        "/admin/pejabat/lambang",
        # no file chosen: the page again with the message
        expect(admin=422, kadis=422, petugas=403, camat=403, dprd=403),
        method="POST",
        data={"region": "35.11"},
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

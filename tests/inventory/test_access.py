"""URL × role × scope matrix of the inventarisasi pages (web)."""

from __future__ import annotations

import io

import pytest
import segno

from assets_app.extensions import db
from assets_app.inventory import services
from tests.access import Case, check, expect, params
from tests.assets.helpers import make_asset


def png() -> bytes:
    out = io.BytesIO()
    segno.make("foto temuan").save(out, kind="png", scale=4)
    return out.getvalue()


def _setup(ctx):
    users = ctx["users"]
    # The same NUP in and out of scope: one posted form fits both sessions.
    ctx["asset"] = make_asset(region_code="35.11.05", register_no="0900")
    out_asset = make_asset(region_code="36.73.05", register_no="0900")
    ctx["s"] = services.open_session(users["petugas"], regions=["35.11.05"])
    ctx["out"] = services.open_session(users["petugas_serang"], regions=["36.73.05"])
    ctx["scan"], _ = services.record_scan(
        users["petugas"], ctx["s"], asset_id=ctx["asset"].id, condition="B", photo=png()
    )
    ctx["out_scan"], _ = services.record_scan(
        users["petugas_serang"], ctx["out"], asset_id=out_asset.id, condition="B", photo=png()
    )
    db.session.commit()


def _in(suffix=""):
    return lambda ctx: f"/inventarisasi/{ctx['s'].id}{suffix}"


def _out(suffix=""):
    return lambda ctx: f"/inventarisasi/{ctx['out'].id}{suffix}"


POSTED = dict(admin=302, kadis=302, petugas=302, camat=302, dprd=403)
SCAN = expect(dprd=403)

CASES = [
    Case("inventory.index", "/inventarisasi/", expect(), setup=_setup),
    Case("inventory.new", "/inventarisasi/baru", SCAN),
    Case("inventory.detail", _in(), expect(), out_path=_out(), setup=_setup),
    Case("inventory.scan", _in("/pindai"), SCAN, out_path=_out("/pindai"), setup=_setup),
    Case(
        "inventory.scan",
        _in("/pindai"),
        expect(**POSTED),
        method="POST",
        out_path=_out("/pindai"),
        data={"scan-code": "0900", "scan-condition": "B"},
        setup=_setup,
        id="POST inventory.scan",
    ),
    Case(
        "inventory.unregistered",
        _in("/tidak-terdaftar"),
        expect(**POSTED),
        method="POST",
        out_path=_out("/tidak-terdaftar"),
        data={"unreg-description": "Monitor tanpa label"},
        setup=_setup,
    ),
    Case(
        "inventory.submit",
        _in("/ajukan"),
        expect(**POSTED),
        method="POST",
        out_path=_out("/ajukan"),
        setup=_setup,
    ),
    Case(
        "inventory.confirm",
        _in("/konfirmasi"),
        expect(admin=403, kadis=302, petugas=403, camat=403, dprd=403),
        method="POST",
        out_path=_out("/konfirmasi"),
        setup=_setup,
    ),
    Case(
        "inventory.berita_acara",
        _in("/berita-acara.pdf"),
        expect(),
        out_path=_out("/berita-acara.pdf"),
        setup=_setup,
    ),
    Case(
        "inventory.result_xlsx",
        _in("/hasil.xlsx"),
        expect(),
        out_path=_out("/hasil.xlsx"),
        setup=_setup,
    ),
    Case(
        "inventory.photo",
        lambda ctx: f"/inventarisasi/{ctx['s'].id}/foto/{ctx['scan'].id}",
        expect(),
        out_path=lambda ctx: f"/inventarisasi/{ctx['out'].id}/foto/{ctx['out_scan'].id}",
        setup=_setup,
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

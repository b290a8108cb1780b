import pytest

from assets_app.blanko import ditjen, services
from assets_app.extensions import db
from tests.access import Case, check, expect, params
from tests.blanko.conftest import ago

WRITERS = {"camat": 403, "dprd": 403}  # admin, kadis, petugas may write


def _world(ctx):
    """In scope (35.11): stock at Pujer, a transfer in transit to Pujer, a pending and an
    approved write-off, an open request. Out of scope (36.73): the same."""
    from tests.factories import make_user

    admin = ctx["users"]["admin"]
    kadis_out = make_user("kadis", "36.73", username="kadis.serang")
    for key, dinas, kec, kadis in (
        ("in", "35.11", "35.11.05", ctx["users"]["kadis"]),
        ("out", "36.73", "36.73.05", kadis_out),
    ):
        services.record_movement(
            admin,
            kind="penerimaan",
            to_region=dinas,
            quantity=1000,
            reference=f"BAST/{key}",
            bast_date=ago(3).date(),
            occurred_at=ago(3),
        )
        first = services.record_movement(
            admin,
            kind="distribusi",
            from_region=dinas,
            to_region=kec,
            quantity=100,
            occurred_at=ago(2),
        )
        services.receive_movement(
            admin, first.id, quantity_received=100, on_behalf_reason="Uji akses"
        )
        transit = services.record_movement(
            admin,
            kind="distribusi",
            from_region=dinas,
            to_region=kec,
            quantity=50,
            occurred_at=ago(1),
        )
        pending = services.record_movement(
            admin, kind="rusak", from_region=kec, quantity=2, occurred_at=ago(0, 2), note="gagal"
        )
        approved = services.record_movement(
            admin, kind="rusak", from_region=kec, quantity=1, occurred_at=ago(0, 2), note="gagal"
        )
        services.decide_movement(kadis, approved.id, approved=True, berita_acara_no=f"BA/{key}")
        used = services.record_movement(
            admin, kind="pemakaian", from_region=kec, quantity=5, occurred_at=ago(0, 1)
        )
        req = ditjen.create_request(admin, region_code=dinas, quantity=500)
        db.session.commit()
        ctx[key] = {
            "transit": transit.id,
            "pending": pending.id,
            "approved": approved.id,
            "request": req.id,
            "used": used.id,
        }


def _in(name, path):
    return lambda ctx: path.format(ctx["in"][name])


def _out(name, path):
    return lambda ctx: path.format(ctx["out"][name])


CASES = [
    Case("blanko.index", "/blanko/", expect()),
    # the camat's kabupaten is wider than his scope: 404 (issue 20), not a narrower list
    Case("blanko.index", "/blanko/?region=35.11&low=1", expect(camat=404), id="index filtered"),
    Case("blanko.alerts", "/blanko/peringatan", expect()),
    Case(
        "blanko.location",
        "/blanko/lokasi/35.11.05",
        expect(),
        out_path="/blanko/lokasi/36.73.05",
        setup=_world,
    ),
    Case("blanko.location", "/blanko/lokasi/35.11", expect(camat=404), id="dinas location"),
    Case(
        "blanko.location",
        "/blanko/lokasi/35.11.05.2001",
        expect(admin=404, kadis=404, petugas=404, camat=404, dprd=404),
        id="kelurahan is no location",
    ),
    Case(
        "blanko.settings",
        "/blanko/lokasi/35.11.05/pengaturan",
        expect(**WRITERS),
        out_path="/blanko/lokasi/36.73.05/pengaturan",
    ),
    Case(
        "blanko.settings",
        "/blanko/lokasi/35.11.05/pengaturan",
        expect(admin=302, kadis=302, petugas=302, **WRITERS),
        method="POST",
        data={"low_stock_days": "5"},
        id="POST settings",
    ),
    Case("blanko.movements", "/blanko/mutasi", expect()),
    Case(
        "blanko.movement",
        _in("transit", "/blanko/mutasi/{}"),
        expect(),
        out_path=_out("transit", "/blanko/mutasi/{}"),
        setup=_world,
    ),
    Case(
        "blanko.new_movement",
        "/blanko/mutasi/baru/penerimaan",
        expect(**WRITERS),
    ),
    Case(
        "blanko.new_movement",
        "/blanko/mutasi/baru/pemakaian",
        expect(dprd=403),
        id="pemakaian form",
    ),
    Case(
        "blanko.new_movement",
        "/blanko/mutasi/baru/pemakaian",
        expect(admin=302, kadis=302, petugas=302, camat=302, dprd=403),
        method="POST",
        data={"from_region": "35.11.05", "quantity": "3", "occurred_at": ""},
        setup=_world,
        id="POST pemakaian",
    ),
    Case(
        "blanko.new_movement",
        "/blanko/mutasi/baru/hilang",
        expect(admin=404, kadis=404, petugas=404, camat=404, dprd=404),
        id="unknown kind",
    ),
    Case(
        "blanko.receive",
        _in("transit", "/blanko/mutasi/{}/terima"),
        expect(admin=302, kadis=302, petugas=302, camat=302, dprd=403),
        method="POST",
        data={"quantity_received": "50", "received_at": "", "note": "", "on_behalf_reason": "Uji"},
        out_path=_out("transit", "/blanko/mutasi/{}/terima"),
        setup=_world,
    ),
    Case(
        "blanko.decide",
        _in("pending", "/blanko/mutasi/{}/putuskan"),
        expect(admin=403, kadis=302, petugas=403, camat=403, dprd=403),
        method="POST",
        data={"approved": "ya", "berita_acara_no": "BA/9"},
        out_path=_out("pending", "/blanko/mutasi/{}/putuskan"),
        setup=_world,
    ),
    Case(
        "blanko.correct",
        _in("used", "/blanko/mutasi/{}/koreksi"),
        expect(admin=302, kadis=302, petugas=302, **WRITERS),
        method="POST",
        data={"quantity": "1", "note": "salah hitung"},
        out_path=_out("used", "/blanko/mutasi/{}/koreksi"),
        setup=_world,
    ),
    Case(
        "blanko.berita_acara",
        _in("approved", "/blanko/mutasi/{}/berita-acara.pdf"),
        expect(),
        out_path=_out("approved", "/blanko/mutasi/{}/berita-acara.pdf"),
        setup=_world,
    ),
    Case("blanko.receipts", "/blanko/penerimaan-tertunda", expect(dprd=403)),
    Case("blanko.approvals", "/blanko/persetujuan", expect(), setup=_world),
    Case("blanko.spoilage", "/blanko/kerusakan", expect()),
    Case("blanko.opname", "/blanko/opname", expect()),
    Case("blanko.opname_new", "/blanko/opname/baru", expect(**WRITERS)),
    Case(
        "blanko.opname_new",
        "/blanko/opname/baru",
        expect(admin=302, kadis=302, petugas=302, **WRITERS),
        method="POST",
        data={"region_code": "35.11", "counted_quantity": "850", "counted_at": ""},
        setup=_world,
        id="POST opname",
    ),
    Case(
        "blanko.opname_sheet",
        "/blanko/opname/lembar.pdf?region=35.11",
        expect(**WRITERS),
        out_path="/blanko/opname/lembar.pdf?region=36.73",
    ),
    Case("blanko.requests", "/blanko/permintaan", expect()),
    Case("blanko.request_new", "/blanko/permintaan/baru", expect(**WRITERS)),
    Case(
        "blanko.request_detail",
        _in("request", "/blanko/permintaan/{}"),
        expect(camat=404),
        out_path=_out("request", "/blanko/permintaan/{}"),
        setup=_world,
    ),
    Case(
        "blanko.request_letter",
        _in("request", "/blanko/permintaan/{}/surat.pdf"),
        expect(camat=404),
        out_path=_out("request", "/blanko/permintaan/{}/surat.pdf"),
        setup=_world,
    ),
    Case(
        "blanko.request_cancel",
        _in("request", "/blanko/permintaan/{}/batal"),
        expect(admin=302, kadis=302, petugas=302, **WRITERS),
        method="POST",
        data={"note": "Dapat pinjaman dari provinsi"},
        out_path=_out("request", "/blanko/permintaan/{}/batal"),
        setup=_world,
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

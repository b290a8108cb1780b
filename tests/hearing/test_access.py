from io import BytesIO

import pytest

from tests.access import Case, check, expect, params
from tests.hearing.helpers import PDF_BYTES, make_report


def _reports(ctx):
    ctx["report"] = make_report("35.11")
    ctx["out"] = make_report("36.73")


def _upload(ctx):
    return {"file": (BytesIO(PDF_BYTES), "paket.pdf")}


PACKET = {"region": "35.11", "start": "2026-01-01", "end": "2026-01-31"}

CASES = [
    Case(
        "hearing.summary",
        "/laporan/ringkasan",
        expect(),
        out_path="/laporan/ringkasan?region=36.73",
    ),
    Case(
        "hearing.summary",
        "/laporan/ringkasan?region=35.11&dari=2026-01-01&sampai=2026-03-31",
        expect(camat=404),
        id="summary of the kabupaten",
    ),
    Case("hearing.kabkota", "/laporan/kabkota", expect(), out_path="/laporan/kabkota?region=36"),
    Case(
        "hearing.kabkota",
        "/laporan/kabkota?region=35.11&sort=-assets_value",
        expect(camat=404),
        id="kab/kota of the kabupaten, sorted",
    ),
    Case(
        "hearing.recap",
        "/laporan/rekap-harian?region=35.11&dari=2026-01-01&sampai=2026-01-03",
        expect(camat=404),
        out_path="/laporan/rekap-harian?region=36.73",
    ),
    Case(
        "hearing.recap",
        "/laporan/rekap-harian?region=35.11&dari=2026-01-01&sampai=2026-01-03&format=xlsx",
        expect(camat=404),
        id="recap as XLSX",
    ),
    Case("hearing.archive", "/laporan/rdp", expect()),
    Case("hearing.new", "/laporan/rdp/baru", expect(camat=403)),
    Case(
        "hearing.new",
        "/laporan/rdp/baru",
        expect(admin=302, kadis=302, petugas=302, camat=403, dprd=302),
        method="POST",
        data=PACKET,
    ),
    Case(
        "hearing.download",
        lambda ctx: f"/laporan/rdp/{ctx['report'].id}/pdf",
        expect(camat=404),
        out_path=lambda ctx: f"/laporan/rdp/{ctx['out'].id}/xlsx",
        setup=_reports,
    ),
    Case(
        "hearing.packet",
        lambda ctx: f"/laporan/rdp/{ctx['report'].id}",
        expect(camat=404),
        out_path=lambda ctx: f"/laporan/rdp/{ctx['out'].id}",
        setup=_reports,
    ),
    Case(
        "hearing.approve",
        lambda ctx: f"/laporan/rdp/{ctx['report'].id}/setujui",
        expect(admin=403, kadis=302, petugas=403, camat=403, dprd=403),
        method="POST",
        out_path=lambda ctx: f"/laporan/rdp/{ctx['out'].id}/setujui",
        setup=_reports,
    ),
    # public verification: no login needed
    Case("verify.lookup", "/verifikasi/", expect(anon=200)),
    Case("verify.lookup", "/verifikasi/", expect(anon=200), method="POST", data=_upload),
    Case(
        "verify.check",
        lambda ctx: f"/verifikasi/{ctx['report'].token}",
        expect(anon=200),
        setup=_reports,
    ),
    Case(
        "verify.check",
        lambda ctx: f"/verifikasi/{ctx['report'].token}",
        expect(anon=200),
        method="POST",
        data=_upload,
        setup=_reports,
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

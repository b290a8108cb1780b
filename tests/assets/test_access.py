"""URL × role × scope matrix for the assets domain (web)."""

from datetime import date

import pytest

from tests.access import Case, check, expect, params
from tests.assets.helpers import asset_data, make_asset


def _setup(ctx):
    ctx["asset"] = make_asset(region_code="35.11.05")
    ctx["out_asset"] = make_asset(region_code="36.73.05")


def _a(suffix=""):
    return lambda ctx: f"/aset/{ctx['asset'].id}{suffix}"


def _out(suffix=""):
    return lambda ctx: f"/aset/{ctx['out_asset'].id}{suffix}"


def _form_data(ctx):
    data = asset_data(region_code="35.11.05", register_no="0500")
    return {k: ("" if v is None else str(v)) for k, v in data.items()}


WRITE = expect(camat=403, dprd=403)  # admin, kadis, petugas
STATUS = expect(dprd=403)  # + camat for own kecamatan
POSTED = dict(admin=302, kadis=302, petugas=302, camat=302, dprd=302)
WRITE_POST = expect(**{**POSTED, "camat": 403, "dprd": 403})
STATUS_POST = expect(**{**POSTED, "dprd": 403})
USAGE_POST = expect(**{**POSTED, "dprd": 403})
COVERAGE = expect(camat=403, dprd=403)

CASES = [
    Case("assets.index", "/aset/", expect(), setup=_setup),
    Case(
        "assets.index",
        "/aset/?region=36.73&q=pc&sort=-harga&status=semua",
        expect(kadis=404, petugas=404, camat=404, dprd=404),  # issue 20: no silent fallback
        setup=_setup,
        id="filtered out-of-scope region filter",
    ),
    Case("assets.detail", _a(), expect(), out_path=_out(), setup=_setup),
    Case("assets.new", "/aset/baru", WRITE),
    Case("assets.new", "/aset/baru", WRITE_POST, method="POST", data=_form_data, id="POST new"),
    Case("assets.edit", _a("/ubah"), WRITE, out_path=_out("/ubah"), setup=_setup),
    Case(
        "assets.edit",
        _a("/ubah"),
        WRITE_POST,
        method="POST",
        data=_form_data,
        out_path=_out("/ubah"),
        setup=_setup,
        id="POST edit",
    ),
    Case("assets.status", _a("/status"), STATUS, out_path=_out("/status"), setup=_setup),
    Case(
        "assets.status",
        _a("/status"),
        STATUS_POST,
        method="POST",
        data={"status": "gangguan", "cause": "jaringan", "responsible_party": "diskominfo"},
        out_path=_out("/status"),
        setup=_setup,
        id="POST status",
    ),
    Case("assets.dispose", _a("/hapuskan"), WRITE, out_path=_out("/hapuskan"), setup=_setup),
    Case(
        "assets.dispose",
        _a("/hapuskan"),
        WRITE_POST,
        method="POST",
        data={"note": "SK Bupati 000.2.4/9/2026"},
        out_path=_out("/hapuskan"),
        setup=_setup,
        id="POST dispose",
    ),
    Case("assets.export", "/aset/ekspor", expect(), setup=_setup),
    Case("assets.labels", "/aset/label?region=35.11", WRITE, setup=_setup),
    Case("assets.idle", "/aset/menganggur?hari=60", expect(), setup=_setup),
    Case("assets.not_reported", "/aset/belum-melapor", expect(camat=403, dprd=403)),
    Case(
        "assets.not_reported",
        "/aset/belum-melapor?region=36.73.05&dari=2026-11-02&sampai=2026-11-06",
        expect(kadis=404, petugas=404, camat=403, dprd=403),  # another kab/kota: 404
        id="not_reported out of scope",
    ),
    Case("assets.import_upload", "/aset/impor", WRITE),
    Case(
        "assets.import_confirm",
        "/aset/impor/konfirmasi",
        WRITE_POST,
        method="POST",
        data={"token": "x" * 32},
    ),
    Case("assets.import_template", "/aset/templat", WRITE),
    Case(
        "assets.public_label",
        lambda ctx: f"/l/{ctx['asset'].label_token}",
        expect(anon=200),
        setup=_setup,
    ),
    Case(
        "assets.public_label",
        "/l/tidak-ada-token-seperti-ini",
        expect(anon=404, admin=404, kadis=404, petugas=404, camat=404, dprd=404),
        id="unknown token",
    ),
    # the camat's kabupaten is wider than his scope: 404, not a silently narrower list
    Case("assets.usage_index", "/pemakaian/?region=35.11&bulan=2026-11", expect(camat=404)),
    Case("assets.usage_form", "/pemakaian/isi", STATUS),
    Case(
        "assets.usage_form",
        "/pemakaian/isi",
        USAGE_POST,
        method="POST",
        data={
            "region_code": "35.11.05",
            "day": date(2026, 11, 2).isoformat(),
            "rekam": "12",
            "cetak_ktp": "3",
            "cetak_kk": "1",
            "ditolak": "0",
            "kuota": "",
        },
        id="POST usage",
    ),
    Case("assets.import_upload", "/pemakaian/impor", STATUS),
    Case(
        "assets.import_confirm",
        "/pemakaian/impor/konfirmasi",
        USAGE_POST,
        method="POST",
        data={"token": "y" * 32},
    ),
    Case("assets.import_template", "/pemakaian/templat", STATUS),
    Case("assets.coverage_index", "/cakupan/", expect()),
    Case("assets.coverage_form", "/cakupan/isi", COVERAGE),
    Case(
        "assets.coverage_form",
        "/cakupan/isi",
        WRITE_POST,
        method="POST",
        data={
            "region_code": "35.11.05",
            "as_of": "2026-06-30",
            "wajib_ktp": "31000",
            "sudah_rekam": "29000",
        },
        id="POST coverage",
    ),
    Case("assets.import_upload", "/cakupan/impor", COVERAGE),
    Case(
        "assets.import_confirm",
        "/cakupan/impor/konfirmasi",
        WRITE_POST,
        method="POST",
        data={"token": "z" * 32},
    ),
    Case("assets.import_template", "/cakupan/templat", COVERAGE),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)


def test_camat_cannot_record_usage_for_another_kecamatan(app, client, login, users, db):
    from assets_app.assets.models import UsageDay

    app.config["WTF_CSRF_ENABLED"] = False
    try:
        login(users["camat"])
        resp = client.post(
            "/pemakaian/isi",
            data={"region_code": "35.11.06", "day": "2026-11-02", "rekam": "5"},
        )
        assert resp.status_code == 200
        assert "di luar cakupan wilayah Anda" in resp.get_data(as_text=True)
        assert db.session.scalar(db.select(db.func.count(UsageDay.id))) == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = True

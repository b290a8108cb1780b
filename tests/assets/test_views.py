"""Web pages: forms keep what the user typed, import flow, kecamatan panels, query counts."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from assets_app.assets import services
from assets_app.assets.models import Asset, StatusEvent
from assets_app.common.timeutil import today_wib
from tests.assets.helpers import asset_data, make_asset
from tests.assets.xlsx import asset_row, workbook_bytes
from tests.querycount import count_queries


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def form(**overrides):
    data = asset_data(**overrides)
    return {k: ("" if v is None else str(v)) for k, v in data.items()}


def test_create_form_errors_keep_input_then_success(db, client, login, users, nocsrf):
    login(users["petugas"])
    resp = client.post(
        "/aset/baru",
        data=form(
            name="Printer Fargo HDP5000", unit_price="-5", acquired_on="2099-01-01", bast_date=""
        ),
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Harga satuan tidak boleh negatif." in html
    assert "Tanggal perolehan tidak boleh di masa depan." in html
    assert 'value="Printer Fargo HDP5000"' in html and 'value="-5"' in html
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0
    ok = client.post("/aset/baru", data=form(name="Printer Fargo HDP5000"))
    assert ok.status_code == 302
    asset = db.session.scalar(db.select(Asset))
    detail = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "Printer Fargo HDP5000" in detail and "Rp 14.750.000" in detail
    assert "Dicatat di register KIB B." in detail
    edit = client.post(
        f"/aset/{asset.id}/ubah", data=form(name="Printer Fargo", register_no=asset.register_no)
    )
    assert edit.status_code == 302
    db.session.refresh(asset)
    assert asset.name == "Printer Fargo"


def test_status_form_interprets_time_as_wib_and_shows_timeline(db, client, login, users, nocsrf):
    asset = make_asset(users["petugas"])
    login(users["camat"])
    bad = client.post(f"/aset/{asset.id}/status", data={"status": "gangguan"})
    assert "Penanggung jawab wajib dipilih untuk status Gangguan." in bad.get_data(as_text=True)
    ok = client.post(
        f"/aset/{asset.id}/status",
        data={
            "status": "gangguan",
            "cause": "jaringan",
            "responsible_party": "diskominfo",
            "started_at": "2026-11-20T08:30",
            "note": "VPN putus sejak pagi",
        },
    )
    assert ok.status_code == 302
    ev = db.session.scalars(db.select(StatusEvent).order_by(StatusEvent.id.desc())).first()
    assert ev.started_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    assert ev.created_by_id == users["camat"].id
    html = client.get(f"/aset/{asset.id}").get_data(as_text=True)
    assert (
        "VPN putus sejak pagi" in html
        and "Diskominfo" in html
        and "20 November 2026 08.30 WIB" in html
    )
    # camat may not dispose, nor see the disposal button
    assert "Hapuskan" not in html
    assert client.post(f"/aset/{asset.id}/hapuskan", data={"note": "x"}).status_code == 403


def _party_select(html: str) -> str:
    return re.search(r'<select[^>]*name="responsible_party".*?</select>', html, re.S).group(0)


def test_status_form_blames_nobody_silently(db, client, login, users, nocsrf):
    """Issue 12: the responsible party starts blank; a down status without one is refused
    beside the field, nothing is written, and what the user chose and typed is kept."""
    asset = make_asset(users["petugas"])
    login(users["camat"])
    select = _party_select(client.get(f"/aset/{asset.id}/status").get_data(as_text=True))
    first = re.search(r"<option[^>]*>([^<]*)</option>", select)
    assert 'value=""' in first.group(0) and first.group(1) == "— pilih penanggung jawab —"
    assert not re.search(r'value="[a-z_]+"[^>]*selected', select)
    events = db.session.scalar(db.select(db.func.count(StatusEvent.id)))
    bad = client.post(
        f"/aset/{asset.id}/status",
        data={"status": "gangguan", "cause": "jaringan", "note": "VPN putus"},
    )
    assert bad.status_code == 200  # the form again, not a redirect
    html = bad.get_data(as_text=True)
    assert "Penanggung jawab wajib dipilih untuk status Gangguan." in html
    assert re.search(r'<option selected value="jaringan">|value="jaringan" selected', html)
    assert "VPN putus</textarea>" in html
    assert not re.search(r'value="[a-z_]+"[^>]*selected', _party_select(html))
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(StatusEvent.id))) == events
    assert db.session.get(Asset, asset.id).status == "operasional"


def test_list_filters_sort_totals(db, client, login, users):
    make_asset(users["petugas"], name="PC Unit A", unit_price=10_000_000)
    make_asset(
        users["petugas"],
        name="Printer KK",
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
        unit_price=4_000_000,
        acquired_on=date(2021, 3, 1),
        bast_date=None,
    )
    login(users["kadis"])
    html = client.get("/aset/").get_data(as_text=True)
    assert re.search(
        r"<strong>2</strong> aset · nilai perolehan <strong>Rp 14.000.000</strong>", html
    )
    html = client.get("/aset/?category=cetak_kk").get_data(as_text=True)
    assert "Printer KK" in html and "PC Unit A" not in html
    html = client.get("/aset/?year=2021&q=printer").get_data(as_text=True)
    assert "Rp 4.000.000</strong>" in html
    html = client.get("/aset/?sort=-harga").get_data(as_text=True)
    assert html.index("PC Unit A") < html.index("Printer KK")
    html = client.get("/aset/?sort=harga&category=bogus&year=abc").get_data(as_text=True)
    assert html.index("Printer KK") < html.index("PC Unit A")


def test_web_import_preview_errors_and_confirm(app, db, client, login, users):
    login(users["petugas"])
    page = client.get("/aset/impor").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def upload(data):
        return client.post(
            "/aset/impor",
            data={"csrf_token": token, "file": (io.BytesIO(data), "aset.xlsx")},
            content_type="multipart/form-data",
        )

    bad = upload(workbook_bytes([asset_row(1), asset_row(2, **{"Harga Satuan (Rp)": "mahal"})]))
    html = bad.get_data(as_text=True)
    assert "Tidak ada yang diimpor: 1 masalah ditemukan" in html
    assert "Baris 3, kolom Harga Satuan (Rp): Harus berupa bilangan bulat" in html
    notxlsx = upload(b"Kode Wilayah,Kode Barang\n")
    assert "Berkas bukan XLSX" in notxlsx.get_data(as_text=True)
    good = upload(workbook_bytes([asset_row(1), asset_row(2)])).get_data(as_text=True)
    assert "Berkas bersih: 2 baris siap diimpor" in good and "Impor 2 baris" in good
    upload_token = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', good).group(
        1
    )
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0
    # Another officer cannot confirm someone else's upload.
    login(users["kadis"])
    other = client.post("/aset/impor/konfirmasi", data={"csrf_token": token, "token": upload_token})
    assert other.status_code in (302, 400)
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0
    login(users["petugas"])
    done = client.post("/aset/impor/konfirmasi", data={"csrf_token": token, "token": upload_token})
    assert done.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 2
    # The upload is gone once used.
    again = client.post("/aset/impor/konfirmasi", data={"csrf_token": token, "token": upload_token})
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 2


def _kecamatan_fixture(users, n_assets: int):
    today = today_wib()
    for i in range(n_assets):
        make_asset(
            users["petugas"],
            commit=False,
            name=f"Alat {i}",
            category=("perekaman", "cetak_kk", "jaringan")[i % 3],
        )
    down = make_asset(users["petugas"], name="Server perekaman", commit=False)
    services.set_status(
        users["petugas"],
        down,
        status="gangguan",
        cause="jaringan",
        responsible_party="diskominfo",
        started_at=datetime.now(UTC) - timedelta(days=150),
        note="Surat ke Diskominfo belum dijawab",
    )
    for d in range(10):
        services.record_usage(
            users["petugas"],
            {
                "region_code": "35.11.05",
                "day": today - timedelta(days=d),
                "rekam": 0,
                "ditolak": 20 + d,
            },
        )
    services.record_coverage(
        users["petugas"],
        {
            "region_code": "35.11.05",
            "as_of": "2026-06-30",
            "wajib_ktp": 289_607,
            "sudah_rekam": 144_509,
        },
    )
    services.record_coverage(
        users["petugas"],
        {
            "region_code": "35.11.05.2001",
            "as_of": "2026-06-30",
            "wajib_ktp": 16_470,
            "sudah_rekam": 15_407,
        },
    )
    from assets_app.extensions import db

    db.session.commit()


def test_kecamatan_page_panels(db, client, login, users):
    _kecamatan_fixture(users, 2)
    login(users["dprd"])
    html = client.get("/wilayah/35.11.05").get_data(as_text=True)
    assert "Peralatan &amp; status" in html and "Pemakaian 30 hari" in html
    assert "Dapat merekam hari ini" in html  # one PC still operational
    assert "Server perekaman" in html and "Surat ke Diskominfo belum dijawab" in html
    assert "Jaringan · Diskominfo" in html
    assert "<svg" in html and "Perekaman dan warga ditolak" in html
    assert re.search(r'data-testid="turned-away">245<', html)  # 20 + … + 29
    assert "49,90%" in html and "145.098" in html  # 144509/289607, belum rekam
    assert "93,55%" in html and "Alas Sumur" in html  # the kelurahan
    # No operational recording asset → cannot record.
    for a in db.session.scalars(
        db.select(Asset).where(Asset.category == "perekaman", Asset.status == "operasional")
    ):
        services.set_status(
            users["petugas"],
            a,
            status="dalam_perbaikan",
            cause="perangkat_keras",
            responsible_party="vendor",
        )
    db.session.commit()
    html = client.get("/wilayah/35.11.05").get_data(as_text=True)
    assert "Tidak dapat merekam hari ini" in html


def _queries(app, client, path):
    from assets_app.extensions import db

    with count_queries(db.engine) as statements:
        resp = client.get(path)
    assert resp.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize(
    "path",
    [
        "/aset/",
        "/aset/?q=alat&sort=-harga",
        "/wilayah/35.11.05",
        "/aset/menganggur",
        "/pemakaian/",
        "/cakupan/",
    ],
)
def test_bounded_queries_whatever_the_row_count(app, db, client, login, users, path):
    _kecamatan_fixture(users, 3)
    login(users["kadis"])
    client.get(path)  # warm caches (user loader etc.)
    few = _queries(app, client, path)
    for i in range(45):
        make_asset(
            users["petugas"],
            commit=False,
            region_code=("35.11.05", "35.11.06")[i % 2],
            name=f"Tambahan {i}",
            acquired_on=date(2018, 1, 1),
            bast_date=None,
        )
    from assets_app.extensions import db as _db

    _db.session.commit()
    many = _queries(app, client, path)
    assert many == few, (path, few, many)
    # The kecamatan page gathers panels from every domain (assets, tickets, training, blanko).
    assert many <= (30 if path.startswith("/wilayah/") else 14), (path, many)
    print(f"queries {path}: {many}")


def test_idle_page_lists_reason_and_hook(app, db, client, login, users, monkeypatch):
    old = make_asset(
        users["petugas"], region_code="35.11.06", acquired_on=date(2019, 1, 1), bast_date=None
    )
    # Wringin reported (zeros): idle. Pujer never reported: unreported, not idle (issue 12).
    services.record_usage(users["petugas"], {"region_code": "35.11.06", "day": today_wib()})
    silent = make_asset(
        users["petugas"], region_code="35.11.05", acquired_on=date(2019, 1, 1), bast_date=None
    )
    db.session.commit()
    monkeypatch.setattr(
        services,
        "idle_extra_reasons",
        lambda items: {i.asset.id: "tidak ada operator terlatih" for i in items},
    )
    login(users["dprd"])
    html = client.get("/aset/menganggur").get_data(as_text=True)
    assert "belum pernah tercatat dipakai" in html
    assert "tidak ada operator terlatih" in html
    assert re.search(r'data-testid="idle-value">Rp 14.750.000<', html)
    assert re.search(r'data-testid="unreported-value">Rp 14.750.000<', html)
    assert "belum pernah melapor" in html
    assert f"/aset/{old.id}" in html and f"/aset/{silent.id}" not in html
    assert "/aset/belum-melapor" not in html  # the follow-up page is the Dinas' (not dprd)


def test_usage_form_prefills_existing_day_and_corrects(db, client, login, users, nocsrf):
    login(users["camat"])
    data = {
        "region_code": "35.11.05",
        "day": "2026-11-02",
        "rekam": "40",
        "cetak_ktp": "1",
        "cetak_kk": "2",
        "ditolak": "3",
        "kuota": "60",
    }
    assert client.post("/pemakaian/isi", data=data).status_code == 302
    page = client.get("/pemakaian/isi?region=35.11.05&day=2026-11-02").get_data(as_text=True)
    assert 'value="40"' in page and 'value="60"' in page
    assert client.post("/pemakaian/isi", data={**data, "rekam": "44"}).status_code == 302
    listing = client.get("/pemakaian/?bulan=2026-11").get_data(as_text=True)
    assert "perekaman <strong>44</strong>" in listing
    bad = client.post("/pemakaian/isi", data={**data, "ditolak": "-1", "day": "2099-01-01"})
    html = bad.get_data(as_text=True)
    assert "Tidak boleh negatif." in html and "Tanggal tidak boleh di masa depan." in html
    assert 'value="2099-01-01"' in html


def test_coverage_form_and_list(db, client, login, users, nocsrf):
    login(users["petugas"])
    resp = client.post(
        "/cakupan/isi",
        data={
            "region_code": "35.11.05",
            "as_of": "2026-06-30",
            "wajib_ktp": "289.607",
            "sudah_rekam": "144509",
        },
    )
    assert resp.status_code == 302
    html = client.get("/cakupan/").get_data(as_text=True)
    assert "289.607" in html and "49,90%" in html and "145.098" in html

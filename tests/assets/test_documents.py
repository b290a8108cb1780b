"""Export, labels, templates and the CLI contract, end to end."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from assets_app.assets import queries, services
from assets_app.assets.fields import HEADERS
from assets_app.assets.models import Asset
from assets_app.common import vocab
from reports.kib_xlsx import HEADER_ROW
from tests.assets.helpers import make_asset
from tests.assets.xlsx import asset_row, workbook_bytes


def _register(users):
    a = make_asset(users["petugas"], notes="=1+2", vendor="-CV Minus", custodian="@admin")
    b = make_asset(
        users["petugas"],
        region_code="35.11.06",
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
        name="Printer KK",
        unit_price=4_150_000,
        bast_date=None,
        bast_no=None,
        condition="KB",
    )
    c = make_asset(users["admin"], region_code="36.73.05")  # other kab/kota
    gone = make_asset(users["petugas"])
    services.dispose_asset(users["petugas"], gone, note="SK 1")
    from assets_app.extensions import db

    db.session.commit()
    return a, b, c


def _rows(data: bytes):
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=False))
    header = [c.value for c in rows[0]]
    body = [{h: c for h, c in zip(header, r, strict=True)} for r in rows[1:-1]]
    return ws, body


def test_export_read_back_equals_database(db, client, login, users):
    a, b, _ = _register(users)
    login(users["kadis"])
    resp = client.get("/aset/ekspor?region=35.11")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=KIB-B-35-11-")
    ws, body = _rows(resp.data)
    assert len(body) == 2  # the disposed asset and Kota Serang are not in it
    by_reg = {r["Kode Wilayah"].value: r for r in body}
    for asset in (a, b):
        row = by_reg[asset.region_code]
        assert row["Kode Barang"].value == asset.kode_barang
        assert row["Nama/Jenis Barang"].value == asset.name
        assert row["Nomor Register"].value == asset.register_no
        assert row["Harga (Rp)"].value == asset.unit_price
        assert row["Tanggal Perolehan"].value.date() == asset.acquired_on
        assert row["Tahun Pembelian"].value == asset.acquired_on.year
        assert row["Kondisi"].value == vocab.CONDITION[asset.condition]
        assert row["Sumber Dana"].value == asset.funding_source
        assert row["Nomor Pabrik/Seri"].value == asset.serial_number
        bast = row["Tanggal BAST"].value
        assert (bast.date() if bast else None) == asset.bast_date
    # Formula-looking values come back as the same text, never as formulas.
    note = by_reg["35.11.05"]["Keterangan"]
    assert (note.value, note.data_type) == ("=1+2", "s")
    assert by_reg["35.11.05"]["Penyedia"].value == "-CV Minus"
    assert by_reg["35.11.05"]["Pemegang"].value == "@admin"
    last = ws.max_row
    assert ws.cell(last, 11).value == a.unit_price + b.unit_price
    assert ws.cell(4, 2).value == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"


def test_camat_export_is_scoped(db, client, login, users):
    _register(users)
    login(users["camat"])
    _, body = _rows(client.get("/aset/ekspor").data)
    assert {r["Kode Wilayah"].value for r in body} == {"35.11.05"}


def test_cli_export_and_labels(app, db, runner, users, tmp_path):
    a, b, c = _register(users)
    out = tmp_path / "kib.xlsx"
    res = runner.invoke(args=["assets", "export", "--region", "35.11", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 aset" in res.output
    _, body = _rows(out.read_bytes())
    assert len(body) == 2
    pdf = tmp_path / "label.pdf"
    app.config["PUBLIC_BASE_URL"] = ""
    res = runner.invoke(args=["assets", "labels", "--region", "35.11", "--out", str(pdf)])
    assert res.exit_code == 0, res.output
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    uris = sorted(x.get_object()["/A"]["/URI"] for x in reader.pages[0]["/Annots"])
    assert uris == sorted(f"http://127.0.0.1:5000/l/{x.label_token}" for x in (a, b))
    bad = runner.invoke(args=["assets", "export", "--region", "99.99", "--out", str(out)])
    assert bad.exit_code == 1 and "Galat: Kode wilayah 99.99 tidak dikenal." in bad.output


def test_labels_pdf_qr_url_opens_public_page_without_private_data(app, db, client, login, users):
    a, _, _ = _register(users)
    services.set_status(
        users["petugas"],
        a,
        status="gangguan",
        cause="jaringan",
        responsible_party="diskominfo",
        note="rahasia internal",
    )
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = "https://aset.bondowosokab.go.id"
    try:
        login(users["petugas"])
        resp = client.get(f"/aset/label?id={a.id}")
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    assert resp.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.data))
    text = reader.pages[0].extract_text()
    assert f"No. {a.register_no}" in text and "Kec. Pujer" in text
    (uri,) = [x.get_object()["/A"]["/URI"] for x in reader.pages[0]["/Annots"]]
    assert uri == f"https://aset.bondowosokab.go.id/l/{a.label_token}"
    # A browser that never logged in: the public page stands on its own.
    public = app.test_client().get(uri.replace("https://aset.bondowosokab.go.id", ""))
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert a.name in html and "Kec. Pujer" in html and "Gangguan" in html
    for private in ("14.750.000", a.serial_number, "rahasia internal", a.vendor, "Operator"):
        assert private not in html


def test_label_qr_codes_decode_to_working_public_urls(app, db, client, users, tmp_path):
    """Rasterise the PDF (poppler's pdftoppm) and read every QR code back (zxing-cpp)."""
    import subprocess

    import zxingcpp
    from PIL import Image

    from assets_app.assets import documents
    from reports.labels_pdf import render_labels_pdf

    a, b, _ = _register(users)
    items = documents.label_items(users["kadis"], queries.AssetFilter(), "http://aset.test")
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(render_labels_pdf(items))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "hal")], check=True)
    with Image.open(tmp_path / "hal-1.png") as image:
        found = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert found == sorted(f"http://aset.test/l/{x.label_token}" for x in (a, b))
    for url in found:
        page = client.get(url.removeprefix("http://aset.test"))
        assert page.status_code == 200 and "Status:" in page.get_data(as_text=True)


def test_labels_refuse_too_many(app, db, client, login, users, monkeypatch):
    from assets_app.assets import documents

    _register(users)
    monkeypatch.setattr(documents, "MAX_LABELS", 1)
    login(users["petugas"])
    resp = client.get("/aset/label")
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"])
    assert "Terlalu banyak label (2); batasnya 1 per berkas." in page.get_data(as_text=True)


@pytest.mark.slow
def test_template_round_trip_cli_and_web(app, db, runner, client, login, users, tmp_path):
    out = tmp_path / "templat.xlsx"
    res = runner.invoke(args=["assets", "template", "--out", str(out)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert tuple(c.value for c in ws[1]) == HEADERS
    # Fill the template as a user would and import it through the CLI.
    for col, value in enumerate(asset_row(1), start=1):
        ws.cell(row=2, column=col, value=value)
    wb.save(out)
    dry = runner.invoke(args=["assets", "import", str(out), "--dry-run"])
    assert dry.exit_code == 0 and "1 aset dapat diimpor (uji, tidak disimpan)" in dry.output, (
        dry.output
    )
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0
    done = runner.invoke(args=["assets", "import", str(out)])
    assert done.exit_code == 0 and "1 aset diimpor; nilai Rp 14.750.000" in done.output
    again = runner.invoke(args=["assets", "import", str(out)])
    assert again.exit_code == 1
    assert "Galat: Baris 2, kolom Nomor Register: Nomor register 0001 sudah dipakai" in again.output
    assert "Tidak ada yang diimpor: 1 masalah ditemukan." in again.output
    missing = runner.invoke(args=["assets", "import", str(tmp_path / "tidak-ada.xlsx")])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output
    login(users["petugas"])
    web = client.get("/aset/templat")
    assert web.status_code == 200 and web.data[:2] == b"PK"
    for path in ("/pemakaian/templat", "/cakupan/templat"):
        assert (
            openpyxl.load_workbook(io.BytesIO(client.get(path).data)).worksheets[0]["A1"].value
            == "Kode Wilayah"
        )


def test_cli_import_validates_regions_exist(app, db, runner, users, tmp_path):
    f = tmp_path / "a.xlsx"
    f.write_bytes(
        workbook_bytes(
            [
                asset_row(1, **{"Kode Wilayah": "36.73.05"}),
                asset_row(2, **{"Kode Wilayah": "12.34.56"}),
            ]
        )
    )
    res = runner.invoke(args=["assets", "import", str(f)])
    assert res.exit_code == 1
    assert "Baris 3, kolom Kode Wilayah: Kode wilayah 12.34.56 tidak dikenal." in res.output
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0
    f.write_bytes(
        workbook_bytes(
            [
                asset_row(
                    1,
                    **{
                        "Kode Wilayah": "36.73.05",
                        "Tanggal Perolehan": date(2018, 1, 2),
                        "Tanggal BAST": None,
                    },
                )
            ]
        )
    )
    res = runner.invoke(args=["assets", "import", str(f)])
    assert res.exit_code == 0, res.output  # the CLI acts for the whole installation

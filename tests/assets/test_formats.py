"""Issue 17: the register in the layouts Pemda keep — classic KIB B, e-BMD, SIMDA BMD — out
and back in: header and column order, typed cells, the 108 code split, NIBAR round trip,
all-or-nothing import, printable XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from assets_app.assets import formats, queries
from assets_app.assets.importer import ImportFailed
from assets_app.assets.models import Asset, StatusEvent
from assets_app.extensions import db
from assets_app.officials import services as officials
from reports.register_formats import (
    EBMD_COLUMNS,
    KIB_COLUMNS,
    KIB_HEADER_ROW,
    SIMDA_COLUMNS,
    split_108,
)
from tests.assets.helpers import make_asset

ALL = queries.AssetFilter(region="35.11")
KIB_16 = [
    "No. Urut",
    "Kode Barang",
    "Nama/Jenis Barang",
    "Nomor Register",
    "Merk/Type",
    "Ukuran/CC",
    "Bahan",
    "Tahun Pembelian",
    "Nomor Pabrik",
    "Nomor Rangka",
    "Nomor Mesin",
    "Nomor Polisi",
    "Nomor BPKB",
    "Asal-usul/Cara Perolehan",
    "Harga (Rp)",
    "Keterangan",
]


@pytest.fixture
def register(users):
    a = make_asset(
        register_no="0001",
        nibar="NB-0001",
        ukuran_cc="21 inci",
        bahan="Plastik",
        notes="=SUM(A1:A9)",
        unit_price=14_750_000,
    )
    b = make_asset(
        register_no="0002",
        region_code="35.11",
        kode_barang="1.3.2.10.02.04.001",
        name="Server",
        category="server",
        condition="KB",
        funding_source="DAK",
        acquisition_method="hibah",
        brand_model=None,
        unit_price=45_000_000,
        acquired_on=date(2021, 3, 2),
        bast_date=None,
    )
    return a, b


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _printable(ws, header_row: int):
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${header_row}:${header_row}"


def test_kib_classic_has_16_columns_header_and_signature_blocks(users, register):
    officials.create_official(
        users["admin"], region_code="35.11", name="Drs. Budi Santoso",
        nip="196801011990031001", rank="Pembina Tingkat I (IV/b)",
        position="Kepala Dinas Kependudukan dan Pencatatan Sipil", signs=["kib"],
    )  # fmt: skip
    db.session.commit()
    ws = _sheet(formats.export_register(users["admin"], ALL, "kib"))
    assert [h for h, _ in KIB_COLUMNS] == KIB_16
    assert [c.value for c in ws[KIB_HEADER_ROW]] == KIB_16
    top = [ws.cell(r, 1).value for r in range(1, 6)]
    assert top[:2] == ["KARTU INVENTARIS BARANG (KIB) B", "PERALATAN DAN MESIN"]
    assert ws.cell(3, 2).value == "Jawa Timur" and ws.cell(4, 2).value == "Kabupaten Bondowoso"
    assert "Dinas Kependudukan" in ws.cell(5, 2).value
    rows = [ws[KIB_HEADER_ROW + i] for i in (1, 2)]
    by_name = {r[2].value: r for r in rows}
    pc, server = by_name["PC Unit perekaman KTP-el"], by_name["Server"]
    assert pc[5].value == "21 inci" and pc[6].value == "Plastik" and pc[7].value == 2019
    assert pc[14].value == 14_750_000 and isinstance(pc[14].value, int)
    assert pc[14].number_format == '"Rp"#,##0'
    assert pc[15].value == "=SUM(A1:A9)" and pc[15].data_type == "s" and pc[15].quotePrefix
    assert server[13].value == "Hibah"
    total = ws[KIB_HEADER_ROW + 3]
    assert total[2].value == "Jumlah (2 barang)" and total[14].value == 59_750_000
    assert ws.auto_filter.ref == f"A{KIB_HEADER_ROW}:P{KIB_HEADER_ROW + 2}"
    texts = [c.value for row in ws.iter_rows(min_row=KIB_HEADER_ROW + 4) for c in row if c.value]
    assert "Mengetahui," in texts and "Drs. Budi Santoso" in texts
    assert "NIP 196801011990031001" in texts and "Pengurus Barang" in texts
    _printable(ws, KIB_HEADER_ROW)


def test_ebmd_columns_and_typed_cells(users, register):
    ws = _sheet(formats.export_register(users["admin"], ALL, "ebmd"))
    assert tuple(c.value for c in ws[1]) == EBMD_COLUMNS
    assert EBMD_COLUMNS[:9] == (
        "nibar",
        "nomor_register",
        "kode_barang",
        "nama_barang",
        "spesifikasi_nama_barang",
        "spesifikasi_lainnya",
        "jumlah",
        "satuan",
        "lokasi",
    )
    rows = {r[3].value: r for r in ws.iter_rows(min_row=2)}
    pc = rows["PC Unit perekaman KTP-el"]
    col = {name: i for i, name in enumerate(EBMD_COLUMNS)}
    assert pc[col["nibar"]].value == "NB-0001"
    assert pc[col["harga_satuan"]].value == 14_750_000
    assert isinstance(pc[col["tanggal_perolehan"]].value, datetime)
    assert pc[col["tanggal_perolehan"]].value.date() == date(2019, 8, 15)
    assert pc[col["jumlah"]].value == 1 and pc[col["lokasi"]].value == "35.11.05"
    assert ws.auto_filter.ref == "A1:R3"
    _printable(ws, 1)


def _simda(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_simda_csv_splits_the_108_code(users, register):
    data = formats.export_register(users["admin"], ALL, "simda")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(header) == SIMDA_COLUMNS
    assert header[:9] == ["Kd_Prov", "Kd_Kab_Kota", "Kd_Aset8", *(f"Kd_Aset8{i}" for i in range(6))]
    rows = {r["Nm_Aset"]: r for r in _simda(data)}
    server = rows["Server"]
    parts = [server[f"Kd_Aset8{i}"] for i in ("", 0, 1, 2, 3, 4, 5)]
    assert parts == ["1", "3", "2", "10", "2", "4", "1"]
    assert split_108("1.3.2.05.01.05.068") == (1, 3, 2, 5, 1, 5, 68)
    assert (server["Kd_Prov"], server["Kd_Kab_Kota"]) == ("35", "11")
    assert server["Kondisi"] == "2" and server["Harga"] == "45000000"
    assert server["Tgl_Perolehan"] == "2021-03-02" and server["No_Reg8"] == "2"
    pc = rows["PC Unit perekaman KTP-el"]
    assert pc["Keterangan"] == "'=SUM(A1:A9)"  # never a formula when opened in a spreadsheet
    assert pc["NIBAR"] == "NB-0001" and pc["CC"] == "21 inci"


def _empty_register():
    """The register of an empty installation (test-only: the rows go, audit aside)."""
    db.session.execute(sa.delete(StatusEvent))
    db.session.execute(sa.delete(Asset))
    db.session.commit()


@pytest.mark.parametrize("fmt", ["ebmd", "simda"])
def test_round_trip_gives_the_same_rows(users, register, fmt):
    admin = users["admin"]
    first = formats.export_register(admin, ALL, fmt)
    _empty_register()
    result = formats.import_register(first, fmt, admin)
    db.session.commit()
    assert result.created == 2
    again = formats.export_register(admin, ALL, fmt)
    if fmt == "simda":
        assert again == first
    else:
        rows = lambda data: [[c.value for c in r] for r in _sheet(data).iter_rows()]  # noqa: E731
        assert rows(again) == rows(first)
    pc = db.session.scalar(sa.select(Asset).where(Asset.nibar == "NB-0001"))
    assert (pc.ukuran_cc, pc.bahan, pc.notes) == ("21 inci", "Plastik", "=SUM(A1:A9)")


def _ebmd_file(*rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(EBMD_COLUMNS))
    base = dict.fromkeys(EBMD_COLUMNS)
    base.update(
        nomor_register="0007",
        kode_barang="1.3.2.10.01.02.002",
        nama_barang="Laptop",
        jumlah=1,
        satuan="Unit",
        lokasi="35.11.05",
        harga_satuan=12_000_000,
        tanggal_perolehan=date(2022, 1, 5),
    )
    for row in rows:
        ws.append([{**base, **row}[c] for c in EBMD_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_ebmd_import_is_all_or_nothing_naming_row_and_column(users, register):
    before = db.session.scalar(sa.select(sa.func.count(Asset.id)))
    data = _ebmd_file(
        {"nibar": "NB-9"},
        {"nomor_register": "0008", "kode_barang": "1.3.2.x", "jumlah": 3},
        {"nomor_register": "0009", "nibar": "NB-0001"},  # NIBAR already in Bondowoso
        {"nomor_register": "0010", "nibar": "NB-9"},  # twice in the file
    )
    with pytest.raises(ImportFailed) as e:
        formats.import_register(data, "ebmd", users["admin"])
    messages = e.value.messages
    assert any(m.startswith("Baris 3, kolom kode_barang: Kode barang") for m in messages)
    assert "Baris 3, kolom jumlah: Satu baris satu barang (satu NIBAR): jumlah harus 1." in messages
    assert any(m.startswith("Baris 4, kolom nibar: NIBAR NB-0001 sudah dipakai") for m in messages)
    assert any(m.startswith("Baris 5, kolom nibar: NIBAR NB-9") for m in messages)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Asset.id))) == before


def test_an_existing_register_number_is_reported_and_nothing_updated(users, register):
    pc = register[0]
    data = _ebmd_file(
        {"nomor_register": pc.register_no, "kode_barang": pc.kode_barang, "nama_barang": "Baru"}
    )
    with pytest.raises(ImportFailed) as e:
        formats.import_register(data, "ebmd", users["admin"])
    assert e.value.messages[0].startswith("Baris 2, kolom nomor_register: Nomor register")
    db.session.rollback()
    assert db.session.get(Asset, pc.id).name == "PC Unit perekaman KTP-el"


def test_simda_import_checks_code_parts_and_defaults(users):
    header = ",".join(SIMDA_COLUMNS)
    good = "35,11,1,3,2,10,1,2,1,3,2020-02-03 00:00:00,HP,ProDesk,,,SN1,pembelian,1,9000000.00,,35.11.05,PC Unit,,,"
    bad = "35,11,1,3,2,X,1,2,1,4,2020-02-03,,,,,,,9,100,,35.11.05,PC Unit,,,"
    with pytest.raises(ImportFailed) as e:
        formats.import_register(f"{header}\n{good}\n{bad}\n".encode(), "simda", users["admin"])
    assert any(
        m.startswith("Baris 3, kolom Kd_Aset8: Kd_Aset82 harus berupa angka")
        for m in e.value.messages
    )
    assert any(m.startswith("Baris 3, kolom Kondisi:") for m in e.value.messages)
    db.session.rollback()
    result = formats.import_register(
        f"{header}\n{good}\n".encode(), "simda", users["admin"], dry_run=True
    )
    row = result.rows[0]
    assert row["kode_barang"] == "1.3.2.10.01.02.001" and row["register_no"] == "0003"
    assert row["brand_model"] == "HP ProDesk" and row["unit_price"] == 9_000_000
    assert row["acquired_on"] == date(2020, 2, 3) and row["condition"] == "B"
    assert (row["category"], row["funding_source"]) == ("pendukung", "LAINNYA")
    assert db.session.scalar(sa.select(sa.func.count(Asset.id))) == 0
    with pytest.raises(ImportFailed) as e:
        formats.import_register(b"Kd_Prov,Apa\n35,1\n", "simda", users["admin"])
    assert "Baris 1, kolom Apa: judul kolom tidak dikenal." in e.value.messages


def test_cli_export_and_import_by_format(users, register, runner, tmp_path):
    for fmt in ("lengkap", "kib", "ebmd", "simda"):
        out = tmp_path / f"reg.{formats.EXTENSION[fmt]}"
        res = runner.invoke(
            args=["assets", "export", "--format", fmt, "--region", "35.11", "--out", str(out)]
        )
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 0
    out = tmp_path / "reg.csv"
    res = runner.invoke(args=["assets", "import", str(out), "--format", "simda", "--dry-run"])
    assert res.exit_code == 1 and "sudah dipakai" in res.output
    assert db.session.scalar(sa.select(sa.func.count(Asset.id))) == 2


def test_nibar_is_unique_within_a_kabkota_by_form_and_api(users, register, client, api_token):
    from tests.assets.helpers import asset_data

    headers = api_token(users["admin"])
    body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asset_data().items()}
    same = client.post("/api/v1/assets", json=body | {"nibar": "NB-0001"}, headers=headers)
    assert same.status_code == 422
    assert "NIBAR NB-0001 sudah dipakai" in same.get_json()["errors"]["nibar"][0]
    other = body | {"region_code": "36.73.01", "nibar": "NB-0001"}
    made = client.post("/api/v1/assets", json=other, headers=headers)
    assert made.status_code == 201 and made.get_json()["nibar"] == "NB-0001"


def test_export_page_offers_every_format(users, register, client, login):
    login(users["petugas"])
    page = client.get("/aset/")
    for fmt in ("kib", "ebmd", "simda"):
        assert f"format={fmt}" in page.text
        resp = client.get(f"/aset/ekspor?format={fmt}&region=35.11")
        assert resp.status_code == 200 and resp.headers["Content-Disposition"].endswith(
            f".{formats.EXTENSION[fmt]}"
        )
    assert client.get("/aset/ekspor?format=simda").data.startswith("\ufeffKd_Prov".encode())


def test_web_import_in_the_simda_layout_previews_then_confirms(users, register, client, login):
    import re

    admin = users["admin"]
    data = formats.export_register(admin, ALL, "simda")
    _empty_register()
    login(users["petugas"])
    page = client.get("/aset/impor").get_data(as_text=True)
    assert 'name="layout"' in page and "SIMDA BMD" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    preview = client.post(
        "/aset/impor",
        data={"csrf_token": token, "layout": "simda", "file": (io.BytesIO(data), "kib.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Berkas bersih: 2 baris siap diimpor" in preview
    assert 'name="layout" type="hidden" value="simda"' in preview
    upload = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', preview).group(1)
    assert db.session.scalar(sa.select(sa.func.count(Asset.id))) == 0
    done = client.post(
        "/aset/impor/konfirmasi", data={"csrf_token": token, "token": upload, "layout": "simda"}
    )
    assert done.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Asset.id))) == 2


def test_simda_export_survives_rows_stored_before_the_checks(users):
    from tests.hearing.helpers import make_asset as raw_asset

    raw_asset("35.11.05", register_no="45680c", kode_barang="1.3.2.10.01.02")
    rows = _simda(formats.export_register(users["admin"], ALL, "simda"))
    assert rows[0]["No_Reg8"] == "45680c" and rows[0]["Kd_Aset8"] == "1.3.2.10.01.02"
    assert rows[0]["Kd_Aset85"] == ""

"""Berita Acara Hasil Inventarisasi (PDF) and the result XLSX: kop from the letter settings,
groups with their values, signatories; XLSX A4 landscape with an autofilter and no totals."""

from __future__ import annotations

from io import BytesIO

import openpyxl
from pypdf import PdfReader

from assets_app.extensions import db
from assets_app.inventory import documents, services
from assets_app.letters import services as letters
from assets_app.letters import settings as letter_settings
from assets_app.officials import services as officials
from tests.inventory.helpers import assets_two_kecamatan, open_pujer


def _confirmed(users):
    a, b, c, other = assets_two_kecamatan()
    petugas = users["petugas"]
    session = open_pujer(petugas)
    services.record_scan(petugas, session, asset_id=a.id, condition="KB")
    services.record_scan(petugas, session, asset_id=b.id, condition="B", found_in_region="35.11.06")
    services.record_unregistered(petugas, session, description='=HYPERLINK("x") monitor')
    services.confirm_session(users["kadis"], session)
    db.session.commit()
    return session


def test_berita_acara_pdf_has_kop_groups_values_and_signatories(users):
    data = {f: getattr(letters.get_settings("35.11"), f) for f in letter_settings.SETTING_FIELDS}
    data.update(address="Jl. Ki Hajar Dewantara 1")
    letter_settings.save_settings("35.11", data, by=users["admin"])
    officials.create_official(
        users["admin"], region_code="35.11", name="Drs. Budi Santoso",
        nip="196801011990031001", rank="Pembina Tingkat I (IV/b)",
        position="Kepala Dinas Kependudukan dan Pencatatan Sipil", signs=["berita_acara"],
    )  # fmt: skip
    db.session.commit()
    session = _confirmed(users)
    name, pdf = documents.berita_acara(users["kadis"], session)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "BERITA ACARA HASIL INVENTARISASI" in text
    assert "Jl. Ki Hajar Dewantara 1" in text
    assert "Drs. Budi Santoso" in text and "196801011990031001" in text
    assert "Barang tidak ditemukan" in text and "Rp1.500.000,00" in text  # the camera
    assert "Rp14.000.000,00" in text  # found: PC + printer
    assert "Kamera Pujer" in text and "KB" in text


def test_result_xlsx_a4_autofilter_no_totals_and_no_formulas(users):
    session = _confirmed(users)
    name, data = documents.result_xlsx(users["kadis"], session)
    wb = openpyxl.load_workbook(BytesIO(data))
    ws = wb.active
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.auto_filter.ref == "A4:J10"  # 2 found + 1 not found + 1 + 1 + 1 unregistered
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 6
    assert not any("Jumlah" in str(r[0]) for r in rows)
    groups = [r[0] for r in rows]
    assert groups.count("Barang ditemukan") == 2 and groups.count("Barang tidak ditemukan") == 1
    unreg = next(r for r in rows if r[0] == "Barang ditemukan tetapi tidak terdaftar")
    assert unreg[3].startswith("=HYPERLINK")  # kept as text
    cell = next(c for c in ws["D"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"

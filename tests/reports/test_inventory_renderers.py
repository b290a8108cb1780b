"""Renderers of the inventarisasi result on hand-built dataclasses (no app)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import openpyxl
from pypdf import PdfReader

from reports import inventory_pdf, inventory_xlsx
from reports.inventory_doc import InventoryDoc, InventoryLine, Kop, Signer


def _doc(**over) -> InventoryDoc:
    pc = InventoryLine("1.3.2.10.01.02.001", "0001", "PC <b>perekaman</b>", "Kec. Pujer", 10_000_000,
                       "B", "KB", note="Catatan " + "panjang " * 12)  # fmt: skip
    cam = InventoryLine("1.3.2.10.01.02.003", "0003", "Kamera", "Kec. Pujer", 1_500_000, "B")
    data = dict(
        kop=Kop("PEMERINTAH KABUPATEN BONDOWOSO", alamat="Jl. Ki Hajar Dewantara 1"),
        number="INV-35.11-7",
        title="Inventarisasi Kec. Pujer",
        scope="Kec. Pujer",
        place="Bondowoso",
        opened_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        confirmed_at=datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
        opened_by="Petugas Aset",
        confirmed_by="Kepala Dinas",
        expected=2,
        groups={"found": (pc,), "not_found": (cam,), "condition_changed": (pc,)},
        signers=(
            Signer("Petugas inventarisasi", "Petugas Aset"),
            Signer("Kepala Dinas", "Drs. Budi"),
        ),
    )
    data.update(over)
    return InventoryDoc(**data)


def test_pdf_summary_groups_and_escaped_text():
    pdf = inventory_pdf.render(_doc())
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "Nomor: INV-35.11-7" in text and "PEMERINTAH KABUPATEN BONDOWOSO" in text
    assert "PC <b>perekaman</b>" in text  # user text is shown, never read as markup
    assert "Rp10.000.000,00" in text and "Rp1.500.000,00" in text and "B → KB" in text
    assert "Drs. Budi" in text and "Tidak ada." in text  # moved / unregistered are empty


def test_pdf_unconfirmed_says_so():
    pdf = inventory_pdf.render(_doc(confirmed_at=None, confirmed_by=None))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "belum dikonfirmasi" in text


def test_xlsx_rows_money_and_filter():
    wb = openpyxl.load_workbook(BytesIO(inventory_xlsx.render(_doc())))
    ws = wb.active
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == [
        "Barang ditemukan",
        "Barang tidak ditemukan",
        "Barang yang kondisinya berubah",
    ]
    assert rows[0][8] == 10_000_000 and ws["I5"].number_format == '"Rp"#,##0'
    assert ws.auto_filter.ref == "A4:J7" and ws.freeze_panes == "A5"

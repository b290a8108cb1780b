"""Pure renderers of the assets domain, on hand-built data (no app, no database)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from reports.charts import bar_chart_svg
from reports.kib_xlsx import COLUMNS, HEADER_ROW, KibMeta, KibRow, render_kib_xlsx
from reports.labels_pdf import Label, render_labels_pdf
from reports.xlsx_template import TemplateColumn, render_import_template


def kib_row(n: int, **kw) -> KibRow:
    base = dict(
        kode_barang="1.3.2.10.01.02.001",
        name=f"PC Unit {n}",
        register_no=f"{n:04d}",
        brand_model="HP ProDesk",
        serial_number=f"SN{n}",
        acquired_on=date(2019, 11, 18),
        acquisition_method="Pembelian",
        unit_price=14_750_000,
        notes=None,
        category="Perekaman KTP-el",
        condition="Baik",
        status="Operasional",
        region_code="35.11.05",
        region_name="Kec. Pujer",
        funding_source="APBD",
        contract_no="027/1/SPK/2019",
        vendor="CV A",
        bast_no="027/2/BAST/2019",
        bast_date=date(2019, 11, 20),
        custodian="Operator",
    )
    base.update(kw)
    return KibRow(**base)


META = KibMeta(
    kode_lokasi="35.11", nama_upb="Disdukcapil Kabupaten Bondowoso", printed_on=date(2026, 11, 23)
)


def test_kib_xlsx_typed_cells_format_frozen_header_filter_and_total():
    rows = [
        kib_row(1),
        kib_row(2, unit_price=4_150_000, notes='=HYPERLINK("http://x")'),
        kib_row(3, name="+62 812", brand_model="-", vendor="@vendor", bast_date=None),
    ]
    data = render_kib_xlsx(META, iter(rows))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[HEADER_ROW]] == [h for h, _ in COLUMNS]
    assert ws.freeze_panes == f"D{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:X{HEADER_ROW + 3}"
    first = HEADER_ROW + 1
    price = ws.cell(first, 11)
    assert price.value == 14_750_000 and price.data_type == "n" and "Rp" in price.number_format
    assert ws.cell(first, 19).value.date() == date(2019, 11, 18)
    assert ws.cell(first, 19).is_date
    assert ws.cell(first, 8).value == 2019
    # Formula-looking text stays text, exactly as typed, with Excel's quote prefix.
    note = ws.cell(first + 1, 12)
    assert (note.value, note.data_type, note.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)
    assert ws.cell(first + 2, 3).value == "+62 812" and ws.cell(first + 2, 3).data_type == "s"
    assert ws.cell(first + 2, 21).value == "@vendor" and ws.cell(first + 2, 21).quotePrefix
    total = HEADER_ROW + 4
    assert ws.cell(total, 3).value == "Jumlah (3 barang)"
    assert ws.cell(total, 11).value == 14_750_000 * 2 + 4_150_000


def test_kib_xlsx_empty_register_still_valid():
    ws = openpyxl.load_workbook(io.BytesIO(render_kib_xlsx(META, []))).active
    assert ws.cell(HEADER_ROW + 1, 3).value == "Jumlah (0 barang)"
    assert ws.cell(HEADER_ROW + 1, 11).value == 0


def test_labels_pdf_pages_text_and_links():
    labels = [
        Label(
            "1.3.2.10.01.02.001",
            f"{n:04d}",
            f"PC Unit perekaman KTP-el nomor {n}",
            "Kec. Pujer",
            f"https://aset.example.go.id/l/tok{n}",
            "Disdukcapil Kab. Bondowoso",
        )
        for n in range(1, 23)
    ]
    reader = PdfReader(io.BytesIO(render_labels_pdf(labels)))
    assert len(reader.pages) == 2  # 21 per A4 sheet
    text = reader.pages[0].extract_text()
    assert "No. 0001" in text and "Kec. Pujer" in text and "PC Unit perekaman" in text
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[1]["/Annots"]]
    assert uris == ["https://aset.example.go.id/l/tok22"]
    assert reader.metadata.title == "Label aset"


def test_labels_pdf_without_labels_says_so():
    reader = PdfReader(io.BytesIO(render_labels_pdf([])))
    assert "Tidak ada aset" in reader.pages[0].extract_text()


def test_bar_chart_svg_is_valid_and_escaped():
    svg = bar_chart_svg(
        {"Perekaman": [3, 0, 12], "Ditolak <x>": [1, 5, 0]},
        ["01/11", "02/11", "03/11"],
        "Pemakaian & penolakan",
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(bars) == 6
    assert root.find(f"{ns}title").text == "Pemakaian & penolakan"
    assert "Ditolak <x>" in "".join(t.text or "" for t in root.iter(f"{ns}text"))
    assert "style=" not in svg  # the CSP forbids inline styles
    tallest = max(bars, key=lambda r: float(r.get("height")))
    assert tallest.find(f"{ns}title").text == "03/11 · Perekaman: 12"


def test_bar_chart_rejects_mismatched_series():
    with pytest.raises(ValueError):
        bar_chart_svg({"a": [1, 2]}, ["x"], "t")


def test_bar_chart_empty_and_zero():
    assert "Belum ada data" in bar_chart_svg({"a": []}, [], "t")
    assert "Semua nilai nol" in bar_chart_svg({"a": [0, 0]}, ["x", "y"], "t")


def test_import_template_headers_lists_and_guide():
    cols = [
        TemplateColumn("Kode Wilayah", True, "Kode.", "35.11.05"),
        TemplateColumn(
            "Kategori", True, "Kategori.", "perekaman", choices=("perekaman", "cetak_kk")
        ),
        TemplateColumn("Harga Satuan (Rp)", True, "Harga.", "100", kind="money"),
    ]
    wb = openpyxl.load_workbook(io.BytesIO(render_import_template("Aset", cols, ["Petunjuk."])))
    ws = wb.worksheets[0]
    assert ws.title == "Aset"
    assert [c.value for c in ws[1]] == ["Kode Wilayah", "Kategori", "Harga Satuan (Rp)"]
    assert ws.max_row >= 1 and all(c.value is None for c in ws[2])
    assert any("Daftar!$A$2:$A$3" in dv.formula1 for dv in ws.data_validations.dataValidation)
    assert "Petunjuk" in wb.sheetnames

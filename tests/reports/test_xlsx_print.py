"""Every XLSX export is print-ready: A4 page setup fitted to the width, header rows repeated,
a "Halaman x dari y" footer on every sheet; autofilters that leave the total row out;
percentages stored as ratios with a % format; formula-looking text quote-prefixed."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from reports.hearing_data import IdleAsset
from reports.hearing_xlsx import render_hearing_xlsx
from reports.kib_xlsx import HEADER_ROW, render_kib_xlsx
from reports.training_xlsx import render_operator_template
from reports.xlsx_template import TemplateColumn, render_import_template
from tests.reports.hearing_sample import make_packet
from tests.reports.test_assets_renderers import META, kib_row

EVIL = '=HYPERLINK("http://jahat")'


def _hearing() -> bytes:
    idle = IdleAsset(
        "35.11.01", "Kec. X", EVIL, "+cmd", "1.3.2", "0001", 2020, "APBD", 1000, None, None, "@a"
    )
    return render_hearing_xlsx(make_packet(4, idle_assets=(idle,)))


def _kib() -> bytes:
    return render_kib_xlsx(META, [kib_row(1), kib_row(2, notes=EVIL), kib_row(3, vendor="-x")])


def _operator_template() -> bytes:
    return render_operator_template(
        headers=["Nama", "NIP", "Kode wilayah"],
        text_columns=["NIP", "Kode wilayah"],
        example=["Budi", "197001011990031001", EVIL],
        notes=["Satu baris satu operator.", "-kosongkan bila tidak ada"],
    )


def _import_template() -> bytes:
    columns = [
        TemplateColumn("Nama barang", True, "Nama", "PC Unit"),
        TemplateColumn("Kondisi", True, "Kondisi", "Baik", choices=("Baik", "+Rusak")),
        TemplateColumn("Harga", False, "Harga satuan", EVIL, kind="money"),
    ]
    return render_import_template("Aset", columns, ["Isi satu baris per barang.", "@catatan"])


EXPORTS = {
    "hearing": _hearing,
    "kib": _kib,
    "operator_template": _operator_template,
    "import_template": _import_template,
}


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def workbook(request):
    data = EXPORTS[request.param]()
    return request.param, openpyxl.load_workbook(BytesIO(data))


def test_every_sheet_has_print_setup(workbook):
    name, wb = workbook
    for ws in wb.worksheets:
        where = f"{name}/{ws.title}"
        assert int(ws.page_setup.paperSize) == 9, where  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, where
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        wide = ws.max_column > 6
        assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), where
        assert "&P dari &N" in ws.oddFooter.right.text, where
        if ws.freeze_panes:  # a table sheet: its header rows print on every page
            header_row = int(re.sub(r"[A-Z]+", "", ws.freeze_panes)) - 1
            assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}", where


def test_autofilters_leave_the_total_row_out(workbook):
    name, wb = workbook
    checked = 0
    for ws in wb.worksheets:
        if not ws.auto_filter.ref:
            continue
        _, first_row, _, last_row = range_boundaries(ws.auto_filter.ref)
        for row in ws.iter_rows(min_row=first_row + 1, max_row=ws.max_row, max_col=3):
            texts = [c.value for c in row if isinstance(c.value, str)]
            if any(t == "Jumlah" or t.startswith("Jumlah (") for t in texts):
                checked += 1
                assert row[0].row > last_row, f"{name}/{ws.title}: {ws.auto_filter.ref}"
                assert last_row == row[0].row - 1, f"{name}/{ws.title}: data rows all filtered"
    if name in ("hearing", "kib"):
        assert checked >= (3 if name == "hearing" else 1)


def test_percentages_are_ratios_with_a_percent_format(workbook):
    name, wb = workbook
    seen = 0
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        for col, title in enumerate(head, start=1):
            if not (isinstance(title, str) and "(%)" in title):
                continue
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if isinstance(cell.value, int | float):
                    seen += 1
                    assert 0 <= cell.value <= 1, f"{ws.title}!{cell.coordinate}={cell.value}"
                    assert cell.number_format.endswith("%"), cell.number_format
                    assert '"%"' not in cell.number_format  # not a literal percent sign
    if name == "hearing":
        assert seen > 20


def test_formula_looking_text_is_quote_prefixed(workbook):
    name, wb = workbook
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    found.append(cell.value)
                    assert cell.data_type == "s", f"{name}/{ws.title}!{cell.coordinate}"
                    assert cell.quotePrefix, f"{name}/{ws.title}!{cell.coordinate}"
                    assert not cell.value.startswith("'")  # the prefix, not an apostrophe
    assert EVIL in found, name


def test_hearing_key_column_has_an_indonesian_header():
    wb = openpyxl.load_workbook(BytesIO(_hearing()))
    assert [c.value for c in wb["Ringkasan"][1]] == ["Indikator", "Kode angka", "Nilai"]
    assert wb["Definisi"]["A1"].value == "Kode angka"
    headers = {c.value for ws in wb.worksheets for c in ws[1]}
    assert "Kunci" not in headers


def test_kib_repeats_its_column_header_row():
    ws = openpyxl.load_workbook(BytesIO(_kib()))["KIB B"]
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape"

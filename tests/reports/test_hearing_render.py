"""The hearing packet renderers on hand-built packets: no app, no database."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from reports.charts_rl import hbar_chart, to_svg
from reports.hearing_data import CONTRACT_METRICS, METRIC_KEYS, IdleAsset
from reports.hearing_pdf import render_hearing_pdf
from reports.hearing_text import TITLE, summary_paragraphs
from reports.hearing_xlsx import render_hearing_xlsx
from tests.reports.hearing_sample import GENERATED, make_packet


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def packet23():
    return make_packet(23)


@pytest.fixture(scope="module")
def pdf23(packet23):
    return render_hearing_pdf(packet23)


@pytest.fixture(scope="module")
def xlsx23(packet23):
    return openpyxl.load_workbook(BytesIO(render_hearing_xlsx(packet23)))


def test_figures_carry_every_contract_metric():
    assert set(CONTRACT_METRICS) <= set(METRIC_KEYS)


def test_pdf_cover_title_period_scope_and_page_numbers(pdf23):
    assert pdf23.startswith(b"%PDF")
    pages = pdf_pages(pdf23)
    cover = flat(pages[0])
    assert "PEMERINTAH KABUPATEN BONDOWOSO" in cover
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in cover
    assert flat(TITLE) in cover
    assert "1 Januari 2026 s.d. 30 Juni 2026" in cover
    assert "Kabupaten Bondowoso (35.11), 23 kecamatan" in cover
    total = len(pages)
    assert total >= 6
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {total}" in text
        assert "https://aset.example.go.id/verifikasi/tok-uji-1234" in text


def test_pdf_summary_page_is_sentences_from_the_numbers(pdf23, packet23):
    summary = flat(pdf_pages(pdf23)[1])
    t = packet23.total
    assert "Ringkasan" in summary
    assert f"Tercatat {t.assets_count} unit peralatan" in summary
    assert "Rp 49.990.000" in summary  # the unit price of the dearest idle item
    assert "tidak ada operator terlatih" in summary
    for paragraph in summary_paragraphs(packet23):
        assert flat(paragraph)[:60] in summary


def test_pdf_sections_hold_prices_reasons_letters_and_gaps(pdf23):
    text = flat(" ".join(pdf_pages(pdf23)))
    for expected in (
        "Pengadaan peralatan menurut tahun dan sumber dana",
        "Fargo HDP5000",
        "Rp 49.990.000",
        "Rp 199.960.000",
        "Jumlah 2019 · APBD",
        "Peralatan menganggur",
        "Tidak ada operator terlatih",
        "1 Februari 2026",
        "Waktu henti menurut pihak penanggung jawab",
        "Diskominfo",
        "TKT-2026-0007",
        "000.2.2/15/Disdukcapil/2026",
        "Kepala Diskominfo Kabupaten Bondowoso",
        "Belum ada surat",
        "Kesenjangan pelatihan operator",
        "Blanko KTP-el",
        "Cakupan perekaman KTP-el",
    ):
        assert expected in text, expected


def test_pdf_sixty_kecamatan_and_long_names_fit():
    packet = make_packet(60)
    pages = pdf_pages(render_hearing_pdf(packet))
    text = flat(" ".join(pages))
    for i in range(1, 61):
        assert f"35.11.{i:02d}" in text
    # the long name wraps inside its cell instead of running over the next column
    assert "Buay Pematang Ribu" in text and "Sangat Panjang" in text
    assert len(pages) < 25


def test_pdf_is_deterministic_apart_from_the_stamp(packet23, pdf23):
    assert render_hearing_pdf(packet23) == pdf23
    later = dataclasses.replace(packet23, generated_at=datetime(2026, 7, 2, tzinfo=UTC))
    assert render_hearing_pdf(later) != pdf23


def test_pdf_says_what_is_missing_instead_of_zero():
    packet = make_packet(3, available=frozenset({"assets"}))
    text = flat(" ".join(pdf_pages(render_hearing_pdf(packet))))
    assert "Data tiket perbaikan belum tersedia" in text
    assert "Data blanko KTP-el belum tersedia" in text
    assert "belum tersedia" in text


def test_xlsx_sheets_headers_frozen_filtered(xlsx23):
    assert xlsx23.sheetnames == [
        "Info",
        "Ringkasan",
        "Kecamatan",
        "Pengadaan",
        "Menganggur",
        "Waktu henti",
        "Tiket terlambat",
        "Kesenjangan pelatihan",
        "Blanko",
        "Cakupan",
        "Definisi",
    ]
    for ws in xlsx23.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.b


def test_xlsx_numbers_are_typed_and_equal_the_packet(xlsx23, packet23):
    ws = xlsx23["Kecamatan"]
    head = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(head, ws[2], strict=True)}
    f = packet23.rows[0].figures
    assert first["Kode wilayah"].value == "35.11.01"
    assert first["Nilai aset"].value == f.assets_value
    assert first["Nilai aset"].number_format == '"Rp"\\ #,##0'
    # percentages are the ratio with a % number format (90.91 % is 0.9091)
    assert first["Operasional (%)"].value == round(f.operational_pct / 100, 6)
    assert first["Operasional (%)"].number_format == "0.00%"
    assert first["Waktu henti Diskominfo (jam)"].value == f.downtime_by_party["diskominfo"]
    total = {h: c.value for h, c in zip(head, ws[ws.max_row], strict=True)}
    assert total["Kecamatan / lokasi"] == "Jumlah"
    assert total["Jumlah aset"] == packet23.total.assets_count
    assert total["Cakupan rekam (%)"] == round(packet23.total.coverage_pct / 100, 6)
    summary = {r[1].value: r[2].value for r in xlsx23["Ringkasan"].iter_rows(min_row=2)}
    assert summary["idle_value"] == packet23.total.idle_value
    assert summary["can_record_today"] == packet23.total.can_record_today
    idle = xlsx23["Menganggur"]
    assert idle.cell(2, 9).value == 49_990_000
    assert idle.cell(2, 10).value == datetime(2026, 2, 1)
    assert idle.cell(2, 12).value == "Tidak ada operator terlatih"
    tickets = [[c.value for c in r] for r in xlsx23["Tiket terlambat"].iter_rows(min_row=2)]
    assert [r[8] for r in tickets] == [
        "000.2.2/15/Disdukcapil/2026",
        "000.2.2/31/Disdukcapil/2026",
        None,
    ]
    info = {r[0].value: r[1].value for r in xlsx23["Info"].iter_rows(min_row=2)}
    assert info["Token verifikasi"] == "tok-uji-1234"
    assert info["Dibuat (UTC)"] == GENERATED.replace(tzinfo=None)


def test_xlsx_is_deterministic_whatever_the_clock(packet23):
    first = render_hearing_xlsx(packet23)
    with time_machine.travel(datetime(2031, 5, 5, 12, 0, tzinfo=UTC), tick=False):
        second = render_hearing_xlsx(packet23)
    assert first == second
    wb = openpyxl.load_workbook(BytesIO(first))
    assert wb.properties.created == GENERATED.replace(tzinfo=None)
    assert wb.properties.modified == GENERATED.replace(tzinfo=None)
    later = dataclasses.replace(packet23, generated_at=datetime(2026, 7, 2, tzinfo=UTC))
    assert render_hearing_xlsx(later) != first


def test_xlsx_text_never_becomes_a_formula():
    idle = IdleAsset(
        "35.11.01",
        "Kec. X",
        '=HYPERLINK("http://jahat")',
        "+cmd",
        "1.3.2",
        "0001",
        2020,
        "APBD",
        1000,
        None,
        None,
        "@alasan",
    )
    packet = make_packet(2, idle_assets=(idle,))
    ws = openpyxl.load_workbook(BytesIO(render_hearing_xlsx(packet)))["Menganggur"]
    assert ws.cell(2, 3).value == '=HYPERLINK("http://jahat")'
    assert ws.cell(2, 3).data_type == "s"


def test_xlsx_marks_missing_sections():
    packet = make_packet(2, available=frozenset({"assets"}))
    wb = openpyxl.load_workbook(BytesIO(render_hearing_xlsx(packet)))
    assert wb["Blanko"]["A2"].value == "Data bagian Blanko KTP-el belum tersedia dalam sistem."
    ws = wb["Kecamatan"]
    head = [c.value for c in ws[1]]
    row = dict(zip(head, (c.value for c in ws[2]), strict=True))
    assert row["Jumlah aset"] == packet.rows[0].figures.assets_count
    assert row["Tiket terbuka"] is None


def test_chart_renders_svg_and_pdf_drawing():
    drawing = hbar_chart([("Diskominfo", 720.0), ("Vendor/penyedia", 360.0)], width=300)
    svg = to_svg(drawing)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Diskominfo" in svg and "720.0" in svg
    empty = to_svg(hbar_chart([], empty_text="Tidak ada data"))
    assert "Tidak ada data" in empty


def test_pdf_table_cells_fit_their_columns():
    """Every plain-text cell is wrapped to its column: nothing runs into the next one."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table

    from reports import hearing_pdf_front as front
    from reports import hearing_pdf_sections as sections_

    packet = make_packet(60)
    sections = (
        front.kecamatan_tables,
        sections_.purchases,
        sections_.idle,
        sections_.training,
        sections_.blanko,
    )
    tables = [f for section in sections for f in section(packet) if isinstance(f, Table)]
    assert len(tables) == 7  # Tabel 1a, 1b (tiket dan surat), 1c, then four sections
    for table in tables:
        for r, row in enumerate(table._cellvalues[1:], start=1):
            for c, (cell, width) in enumerate(zip(row, table._colWidths, strict=True)):
                if not isinstance(cell, str):
                    continue
                style = table._cellStyles[r][c]
                for line in cell.split("\n"):
                    assert stringWidth(line, style.fontname, style.fontsize) <= width - 4 + 0.01, (
                        line
                    )


def test_idle_reasons_add_up_and_the_rest_is_named(packet23):
    """Issue 12: every idle reason is counted; past MAX_REASONS the rest is "dan N unit
    lainnya" (the full list is the Menganggur sheet), so the units add up to the idle list."""
    from reports.hearing_text import MAX_REASONS

    items = tuple(
        dataclasses.replace(a, reason=f"Alasan nomor {i}")
        for i, a in enumerate(packet23.idle_assets)
    )
    assert len(items) > MAX_REASONS
    packet = dataclasses.replace(packet23, idle_assets=items)
    text = " ".join(summary_paragraphs(packet))
    reasons = re.search(r"Alasannya: (.*?)\. Peralatan menganggur dengan", text).group(1)
    named = sum(int(n) for n in re.findall(r"\((\d+) unit\)", reasons))
    rest = int(re.search(r"dan (\d+) unit lainnya", reasons).group(1))
    assert named + rest == len(items)
    ws = openpyxl.load_workbook(BytesIO(render_hearing_xlsx(packet)))["Menganggur"]
    assert len(list(ws.iter_rows(min_row=2))) == len(items)


def test_last_report_wording():
    from datetime import date

    from reports.hearing_data import Figures, KecamatanRow
    from reports.hearing_text import last_report_text

    def row(level, last):
        return KecamatanRow("35.11.05", "Kec. Pujer", level, Figures(last_report_on=last))

    assert last_report_text(row("kecamatan", None), 30) == "belum pernah melapor"
    assert (
        last_report_text(row("kecamatan", date(2019, 11, 18)), 30)
        == "tidak ada laporan pemakaian sejak 18 November 2019"
    )
    assert (
        last_report_text(row("kabkota", None), 30)
        == "tidak ada laporan pemakaian dalam 30 hari terakhir"
    )

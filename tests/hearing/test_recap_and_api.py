"""Issue 17: the daily recap per kab/kota per day (service, XLSX, PDF, page) and the API's
`by=kabkota` shape."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from assets_app.hearing.recap import build_recap
from reports.recap_pdf import render_recap_pdf
from reports.recap_xlsx import COLUMNS, HEADER_ROW, render_recap_xlsx
from tests.hearing import fixture
from tests.hearing.fixture import NOW
from tests.hearing.helpers import make_asset
from tests.querycount import count_queries


def _lines(sheet):
    return {(x.region_code, x.day): x for x in sheet.lines}


def test_recap_counts_usage_and_blanko_at_the_end_of_each_day(users):
    fixture.build(users)
    with time_machine.travel(NOW, tick=False):
        sheet = build_recap(users["admin"], None, "2026-06-19", "2026-06-29")
    lines = _lines(sheet)
    assert len(sheet.lines) == 2 * 11  # Bondowoso and Kota Serang, 11 days each
    day29 = lines[("35.11", date(2026, 6, 29))]
    assert (day29.rekam, day29.cetak_ktp, day29.cetak_kk, day29.reports) == (80, 20, 0, 3)
    assert lines[("35.11", date(2026, 6, 28))].rekam == 50
    # 5,000 in, 300 used on 20 June, 10 written off when approved on 22 June
    remaining = [lines[("35.11", date(2026, 6, d))].blanko_remaining for d in (19, 20, 21, 22)]
    assert remaining == [5_000, 4_700, 4_700, 4_690]
    assert lines[("36.73", date(2026, 6, 29))].rekam == 0
    assert lines[("36.73", date(2026, 6, 29))].blanko_remaining == 0


def test_recap_is_scoped_and_bounded(users):
    fixture.build(users)
    with time_machine.travel(NOW, tick=False):
        own = build_recap(users["kadis"], None, "2026-06-29", "2026-06-29")
        db.session.expire_all()
        with count_queries(db.engine) as statements:
            build_recap(users["admin"], None, "2026-06-01", "2026-06-30")
    assert {x.region_code for x in own.lines} == {"35.11"}
    assert len(statements) <= 6


def test_recap_refuses_a_long_period_and_a_kecamatan(users):
    with pytest.raises(ValidationFailed) as e:
        build_recap(users["admin"], "35.11", "2026-01-01", "2026-03-01")
    assert "31 hari" in e.value.errors["to"][0]
    with pytest.raises(ValidationFailed) as e:
        build_recap(users["admin"], "35.11.05", "2026-01-01", "2026-01-02")
    assert "kabupaten/kota" in e.value.errors["region"][0]


def test_recap_xlsx_is_typed_printable_and_filtered_without_the_total(users):
    fixture.build(users)
    with time_machine.travel(NOW, tick=False):
        sheet = build_recap(users["admin"], None, "2026-06-28", "2026-06-29")
    ws = openpyxl.load_workbook(BytesIO(render_recap_xlsx(sheet))).active
    assert [c.value for c in ws[HEADER_ROW]] == [h for h, _ in COLUMNS]
    first = ws[HEADER_ROW + 1]
    assert first[0].value.date() == date(2026, 6, 28) and first[0].number_format == "DD/MM/YYYY"
    assert isinstance(first[3].value, int)
    last = HEADER_ROW + len(sheet.lines)
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:I{last}"
    assert ws.cell(last + 1, 1).value == "Jumlah"
    assert ws.cell(last + 1, 4).value == 80 + 50
    assert ws.page_setup.paperSize == 9 or ws.page_setup.paperSize == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    text = PdfReader(BytesIO(render_recap_pdf(sheet))).pages[0].extract_text()
    assert "REKAPITULASI HARIAN" in text and "Bondowoso" in text


def _suket_reports(users) -> None:
    """Suket issued on 29 June: 7 in Pujer and 3 at the Dinas (Bondowoso), 4 in Kota Serang."""
    from assets_app.assets import services as assets

    for region, n in (("35.11.05", 7), ("35.11", 3), ("36.73.01", 4)):
        assets.record_usage(
            users["admin"],
            {"region_code": region, "day": date(2026, 6, 29), "rekam": 1, "ditolak": 0}
            | {"cetak_ktp": 0, "cetak_kk": 0, "suket": n, "kuota": 60},
            today=date(2026, 6, 30),
        )
    db.session.commit()


def test_recap_counts_suket_per_kabkota_in_every_format(users, client, login):
    fixture.build(users)
    with time_machine.travel(NOW, tick=False):
        _suket_reports(users)
        sheet = build_recap(users["admin"], None, "2026-06-28", "2026-06-29")
    lines = _lines(sheet)
    assert lines[("35.11", date(2026, 6, 29))].suket == 10
    assert lines[("36.73", date(2026, 6, 29))].suket == 4
    assert lines[("35.11", date(2026, 6, 28))].suket == 0
    # the usage figures of the same reports stay as they were (suket does not shift a column)
    assert lines[("35.11", date(2026, 6, 29))].reports == 3
    ws = openpyxl.load_workbook(BytesIO(render_recap_xlsx(sheet))).active
    col = [h for h, _ in COLUMNS].index("Suket") + 1
    assert col == 7 and ws.cell(HEADER_ROW, col).value == "Suket"
    by_row = {
        (ws.cell(r, 2).value, ws.cell(r, 1).value.date()): ws.cell(r, col).value
        for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(sheet.lines))
    }
    assert by_row[("35.11", date(2026, 6, 29))] == 10
    assert by_row[("36.73", date(2026, 6, 29))] == 4
    total_row = HEADER_ROW + len(sheet.lines) + 1
    assert ws.cell(total_row, col).value == 14
    text = PdfReader(BytesIO(render_recap_pdf(sheet))).pages[0].extract_text()
    assert "Suket" in text
    login(users["admin"])
    page = client.get("/laporan/rekap-harian?region=36.73&dari=2026-06-29&sampai=2026-06-29")
    assert page.status_code == 200
    row = page.text.split('data-region="36.73"')[1].split("</tr>")[0]
    assert '<td class="num">4</td>' in row and "Suket" in page.text


def test_recap_page_and_downloads(users, client, login):
    fixture.build(users)
    login(users["petugas"])
    url = "/laporan/rekap-harian?region=35.11&dari=2026-06-28&sampai=2026-06-29"
    page = client.get(url)
    assert page.status_code == 200 and 'data-region="35.11"' in page.text
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = client.get(url + "&format=pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    bad = client.get("/laporan/rekap-harian?region=35.11&dari=2026-06-28&sampai=kemarin")
    assert bad.status_code == 200 and "is-invalid" in bad.text and 'value="kemarin"' in bad.text


def test_api_summary_by_kabkota(users, client, api_token):
    make_asset("35.11.05", price=5_000_000)
    make_asset("36.73.01", price=7_000_000, status="tidak_digunakan")
    headers = api_token(users["admin"])
    url = "/api/v1/reports/summary?from=2026-01-01&to=2026-01-31&by=kabkota"
    body = client.get(url, headers=headers).get_json()
    assert [r["region_code"] for r in body["kabkota"]] == ["35.11", "36.73"]
    assert "kecamatan" not in body
    assert body["total"]["assets_value"] == 12_000_000
    assert body["total"]["kabkota_count"] == 2
    row = body["kabkota"][1]
    for key in ("assets_count", "idle_value", "can_record_today", "downtime_by_party"):
        assert key in row
    assert row["assets_value"] == 7_000_000 and row["kecamatan_count"] > 0
    province = client.get(url + "&region=35", headers=headers).get_json()
    assert [r["region_code"] for r in province["kabkota"]] == ["35.11"]
    # the default stays per kecamatan; a wrong grouping is a 422; a province out of scope 404
    plain = client.get("/api/v1/reports/summary?region=35.11", headers=headers).get_json()
    assert "kecamatan" in plain and "kabkota" not in plain
    assert client.get(url.replace("kabkota", "desa"), headers=headers).status_code == 422
    kadis = api_token(users["kadis"])
    assert client.get(url + "&region=36", headers=kadis).status_code == 404


def test_kabkota_page_sorts_and_links(users, client, login):
    make_asset("35.11.05", price=5_000_000)
    make_asset("36.73.01", price=7_000_000)
    login(users["admin"])
    page = client.get("/laporan/kabkota?sort=-assets_value&dari=2026-01-01&sampai=2026-01-31")
    assert page.status_code == 200
    assert page.text.index('data-region="36.73"') < page.text.index('data-region="35.11"')
    assert "/laporan/ringkasan?region=36.73" in page.text
    asc = client.get("/laporan/kabkota?sort=assets_value&dari=2026-01-01&sampai=2026-01-31")
    assert asc.text.index('data-region="35.11"') < asc.text.index('data-region="36.73"')

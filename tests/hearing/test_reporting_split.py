"""Issue 12, "reporting is a fact of its own": a kecamatan without usage reports is
unreported, not idle; reasons add up to the idle count; Pujer reported 3 of 5 working days
(60 %). The summary service, the API, the PDF text and the XLSX cells say the same."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from assets_app.hearing import services
from assets_app.hearing.summary import build_summary
from tests.assets import reporting_example as ex

TOTAL = {
    "idle_count": ex.IDLE_COUNT,
    "idle_value": ex.IDLE_VALUE,
    "unreported_count": ex.UNREPORTED_COUNT,
    "unreported_value": ex.UNREPORTED_VALUE,
    "reporting_pct": round(ex.REPORTED_DAYS * 100 / ex.EXPECTED_DAYS, 2),  # 2.61, from sums
}
GRUJUGAN = {"idle_count": 0, "idle_value": 0, "unreported_count": 2,
            "unreported_value": ex.PC + ex.PRINTER, "reporting_pct": 0.0}  # fmt: skip
PUJER = {"idle_count": 1, "idle_value": ex.PRINTER, "unreported_count": 0,
         "unreported_value": 0, "reporting_pct": 60.0}  # fmt: skip


@pytest.fixture
def data(users):
    with time_machine.travel(ex.NOW, tick=False):
        return ex.build(users)


def _pick(figures: dict) -> dict:
    return {k: figures[k] for k in TOTAL}


def _from_xlsx(cells: dict) -> dict:
    """The XLSX stores a percentage as its ratio (0.0261 shown as 2,61%): back to percent units."""
    return {k: round(v * 100, 4) if k.endswith("_pct") else v for k, v in _pick(cells).items()}


def test_summary_splits_idle_and_unreported(users, data):
    with time_machine.travel(ex.NOW, tick=False):
        s = build_summary(users["petugas"], "35.11", ex.START, ex.END)
    rows = {r.region_code: r.figures for r in s.rows}
    assert _pick(rows[ex.GRUJUGAN].as_dict()) == GRUJUGAN
    assert _pick(rows[ex.PUJER].as_dict()) == PUJER
    assert _pick(s.total.as_dict()) == TOTAL
    assert (s.total.reported_days, s.total.expected_days) == (3, ex.EXPECTED_DAYS)
    assert rows[ex.PUJER].last_report_on.isoformat() == "2026-11-21"
    assert rows[ex.GRUJUGAN].last_report_on is None


def test_api_summary_adds_unreported_and_reporting_pct(users, data, client, api_token):
    headers = api_token(users["petugas"])
    with time_machine.travel(ex.NOW, tick=False):
        body = client.get(
            "/api/v1/reports/summary?region=35.11&from=2026-11-16&to=2026-11-22", headers=headers
        ).get_json()
    assert _pick(body["total"]) == TOTAL
    rows = {k["region_code"]: k for k in body["kecamatan"]}
    assert _pick(rows[ex.GRUJUGAN]) == GRUJUGAN
    assert _pick(rows[ex.PUJER]) == PUJER
    assert rows[ex.PUJER]["last_report_on"] == "2026-11-21"


def test_packet_pdf_and_xlsx_show_idle_unreported_and_reasons(users, data, app):
    with time_machine.travel(ex.NOW, tick=False):
        packet = services.generate_packet(
            users["petugas"], "35.11", ex.START, ex.END, base_url="https://x.id"
        )
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(packet.pdf)).pages)
    )
    for expected in (
        "Sebanyak 2 unit peralatan senilai Rp 59.750.000 menganggur",
        "Selain itu, 2 unit peralatan operasional senilai Rp 59.750.000 berada di lokasi yang "
        "tidak mengirim laporan pemakaian harian selama 30 hari",
        "Kec. Grujugan (2 unit, Rp 59.750.000, belum pernah melapor)",
        "Kepatuhan melapor pemakaian harian: 2,61% (3 dari 115 hari kerja titik layanan",
        "Peralatan tanpa laporan pemakaian 2 unit · Rp 59.750.000",
        "Tabel 1c. Pelaporan, pelatihan, blanko dan cakupan",
    ):
        assert expected in text, expected
    # zero use is known from Pujer's first report on, not since the purchase
    assert "Printer KK di Kec. Pujer (Rp 45.000.000), menganggur sejak 16 November 2026" in text
    # every reason is listed and the units add up to the idle count
    reasons = re.search(r"Alasannya: (.*?)\. Peralatan menganggur dengan", text).group(1)
    assert sum(int(n) for n in re.findall(r"\((\d+) unit\)", reasons)) == ex.IDLE_COUNT

    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    summary = {r[1].value: r[2].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert _from_xlsx(summary) == TOTAL
    ws = wb["Kecamatan"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    by_code = {r["Kode wilayah"]: r for r in rows}
    cols = {
        "idle_count": "Menganggur (unit)",
        "idle_value": "Nilai menganggur",
        "unreported_count": "Tanpa laporan pemakaian (unit)",
        "unreported_value": "Nilai tanpa laporan pemakaian",
        "reporting_pct": "Kepatuhan melapor (%)",
    }
    for cells, want in (
        (by_code[ex.GRUJUGAN], GRUJUGAN),
        (by_code[ex.PUJER], PUJER),
        (rows[-1], TOTAL),
    ):
        assert _from_xlsx({k: cells[c] for k, c in cols.items()}) == want
    assert by_code[ex.PUJER]["Hari melapor pemakaian"] == 3
    assert by_code[ex.PUJER]["Hari kerja (kalender kantor)"] == 5
    assert len(list(wb["Menganggur"].iter_rows(min_row=2))) == ex.IDLE_COUNT


def test_summary_page_shows_the_same_figures(users, data, client, login):
    with time_machine.travel(ex.NOW, tick=False):
        login(users["dprd"])
        html = client.get(
            "/laporan/ringkasan?region=35.11&dari=2026-11-16&sampai=2026-11-22"
        ).get_data(as_text=True)
    assert re.search(r'data-testid="unreported-total">2 · Rp 59.750.000<', html)
    assert re.search(r'data-testid="reporting-pct-total">2,61%<', html)
    row = html[html.index('data-region="35.11.05"') :]
    assert "60,00%" in row[: row.index("</tr>")]

"""Issue 12: low stock is a figure of the summary and the packet, by the rule every other
surface uses (`blanko.stats.is_low`): a kecamatan holding 0 keping while it has a KTP-el
printer is low, even without any use in the window; one with nothing to print is not."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO

import openpyxl
import time_machine
from pypdf import PdfReader

from assets_app.common.timeutil import WIB
from assets_app.hearing import services
from assets_app.hearing.summary import build_summary
from tests.hearing.helpers import make_asset

NOW = datetime(2026, 12, 1, 10, tzinfo=WIB)
PUJER, MAESAN = "35.11.05", "35.11.06"


def test_a_printer_without_cards_is_low_on_every_surface(users, client, api_token):
    make_asset(PUJER, category="cetak_ktp", name="Printer KTP-el")
    make_asset(MAESAN, category="perekaman")
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    with time_machine.travel(NOW, tick=False):
        s = build_summary(users["petugas"], "35.11", start, end)
        body = client.get(
            "/api/v1/reports/summary?region=35.11&from=2026-11-01&to=2026-11-30",
            headers=api_token(users["petugas"]),
        ).get_json()
        packet = services.generate_packet(
            users["petugas"], "35.11", start, end, base_url="https://x.id"
        )
    rows = {r.region_code: r.figures for r in s.rows}
    assert rows[PUJER].blanko_low_locations == 1
    assert rows[MAESAN].blanko_low_locations == 0
    assert s.total.blanko_low_locations == 1
    api_rows = {k["region_code"]: k for k in body["kecamatan"]}
    assert api_rows[PUJER]["blanko_low_locations"] == 1
    assert body["total"]["blanko_low_locations"] == 1

    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(packet.pdf)).pages)
    assert "1 lokasi berstok rendah" in re.sub(r"\s+", " ", text)
    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    ringkasan = {r[1].value: r[2].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert ringkasan["blanko_low_locations"] == 1
    sheet = wb["Blanko"]
    header = [c.value for c in sheet[1]]
    col = header.index("Stok rendah (lokasi)")
    by_code = {r[0].value: r[col].value for r in sheet.iter_rows(min_row=2)}
    assert by_code[PUJER] == 1 and by_code[MAESAN] == 0

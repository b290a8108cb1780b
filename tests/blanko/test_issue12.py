"""Issue 12: blanko that reconciles, and low stock / days of cover defined once.

Pujer: 1.000 received at the Dinas, 300 sent to Pujer of which 298 arrived (2 short), 200 more
on the way, 30 used in the last 30 days: 268 available, 268 days of cover (not 468: the 200 in
transit are not counted). Kec. 35.11.06 holds 0 with a card printer: low everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from pypdf import PdfReader

from assets_app.blanko import queries, stats
from assets_app.blanko.summary import reconciles
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER, ago
from tests.hearing.helpers import assert_blanko_sheet_reconciles
from tests.querycount import count_queries

RECON = ("opening", "received", "distributed", "returned", "used", "damaged", "adjusted")


def _printer(users, region):
    from assets_app.assets import services as assets

    assets.create_asset(
        users["petugas"],
        {
            "region_code": region,
            "kode_barang": "1.3.2.10.01.02.001",
            "register_no": "0001",
            "name": "Printer KTP-el",
            "category": "cetak_ktp",
            "brand_model": "Fargo HDP5000",
            "acquired_on": date(2024, 1, 10),
            "funding_source": "APBD",
            "acquisition_method": "pembelian",
            "unit_price": 49_990_000,
            "condition": "B",
        },
    )
    db.session.commit()


@pytest.fixture
def pujer(ledger, users):
    ledger.receive(1000, occurred_at=ago(20), bast_date=ago(20).date())
    first = ledger.distribute(300, PUJER, occurred_at=ago(19))
    ledger.confirm(first, 298, note="2 keping kurang", received_at=ago(18))
    ledger.distribute(200, PUJER, occurred_at=ago(5))  # still in transit
    for day in range(1, 11):
        ledger.use(3, occurred_at=ago(day))
    _printer(users, KEC2)
    return ledger


def _period():
    today = today_wib()
    return today - timedelta(days=25), today


def test_the_function_reconciles_every_row_and_the_dinas_shows_what_it_shipped(pujer, users):
    start, end = _period()
    rows = queries.blanko_summary_by_region(users["petugas"], "35.11", start, end)
    assert all(reconciles(r) for r in rows.values())
    p = rows[PUJER]
    assert (p["received"], p["used"], p["closing"]) == (298, 30, 268)
    assert (p["in_transit"], p["short"]) == (200, 2)
    d = rows[DINAS]
    assert (d["received"], d["distributed"], d["closing"]) == (1000, 500, 500)
    total = queries.blanko_total_for_region(users["petugas"], "35.11", start, end, rows=rows)
    assert reconciles(total) and total["closing"] == 768 and total["in_transit"] == 200


def test_summary_api_pdf_and_xlsx_carry_the_reconciliation(pujer, users, client, api_token):
    from assets_app.hearing import services

    start, end = _period()
    body = client.get(
        f"/api/v1/reports/summary?region=35.11&from={start}&to={end}",
        headers=api_token(users["dprd"]),
    ).get_json()
    keys = [f"blanko_{k}" for k in (*RECON, "in_transit", "closing")]
    for row in [body["total"], *body["kecamatan"]]:
        assert all(isinstance(row[k], int) for k in keys)
        flows = row["blanko_received"] - row["blanko_distributed"] + row["blanko_returned"]
        out = row["blanko_used"] + row["blanko_damaged"] - row["blanko_adjusted"]
        assert row["blanko_opening"] + flows - out == row["blanko_closing"], row["region_code"]
        assert row["blanko_balance"] == row["blanko_closing"]
    by_code = {r["region_code"]: r for r in body["kecamatan"]}
    assert by_code[DINAS]["blanko_distributed"] == 500
    assert by_code[PUJER]["blanko_in_transit"] == 200 and by_code[PUJER]["days_of_cover"] == 268
    assert body["total"]["blanko_in_transit"] == 200

    packet = services.generate_packet(users["dprd"], "35.11", start, end, base_url="https://x.id")
    text = re.sub(
        r"\s+", " ", " ".join(pg.extract_text() for pg in PdfReader(BytesIO(packet.pdf)).pages)
    )
    assert "Dalam perjalanan" in text and "Kurang terima" in text
    assert "0 298 0 0 30 0 0 268 200 2" in text  # Pujer: identity, then 200 in transit, 2 short
    assert "0 1.000 500 0 0 0 0 500 0 0" in text  # the Dinas shipped 500

    ws = openpyxl.load_workbook(BytesIO(packet.xlsx))["Blanko"]
    head = assert_blanko_sheet_reconciles(ws)
    assert "Dalam perjalanan" in head and "Kurang terima" in head
    rows = {
        c[0]: dict(zip(head, c, strict=True)) for c in ws.iter_rows(min_row=2, values_only=True)
    }
    assert rows[PUJER]["Dalam perjalanan"] == 200 and rows[PUJER]["Kurang terima"] == 2
    assert rows[DINAS]["Dikirim"] == 500


def test_zero_stock_with_a_printer_is_low_on_alerts_home_and_api(
    pujer, users, login, client, api_token
):
    row = queries.location_row(users["petugas"], KEC2)
    assert row.available == 0 and row.days_of_cover is None and row.low
    assert not queries.location_row(users["petugas"], "35.11.07").low  # no printer, no use
    login(users["petugas"])
    alerts = client.get("/blanko/peringatan").get_data(as_text=True)
    assert "Tidak ada lokasi dengan stok rendah" not in alerts and KEC2 in alerts
    with count_queries(db.engine) as statements:
        home = client.get("/beranda").get_data(as_text=True)
    # the inbox line and the home page's blanko block show one count, computed once
    assert sum("own_use" in s for s in statements) == 1
    low = stats.location_rows(
        db.session.execute(stats.locations_stmt(users["petugas"], only_low=True))
    )
    assert [r.code for r in low] == [KEC2]
    assert re.search(r"Lokasi dengan stok rendah <span[^>]*>1</span>", home)
    api = client.get("/api/v1/blanko/balances?region=35.11", headers=api_token(users["petugas"]))
    rows = {r["region_code"]: r for r in api.get_json()}
    assert rows[KEC2]["low_stock"] is True and rows[PUJER]["low_stock"] is False


def test_use_in_the_window_with_zero_stock_is_low(ledger, users):
    ledger.stock(PUJER, 9)
    ledger.use(9)
    row = queries.location_row(users["petugas"], PUJER)
    assert row.available == 0 and row.low
    low = stats.location_rows(
        db.session.execute(stats.locations_stmt(users["petugas"], only_low=True))
    )
    assert PUJER in {r.code for r in low}


def test_one_days_of_cover_excluding_in_transit_on_every_surface(
    pujer, users, login, client, api_token
):
    assert queries.location_row(users["camat"], PUJER).days_of_cover == 268
    api = client.get("/api/v1/blanko/balances", headers=api_token(users["camat"]))
    [row] = [r for r in api.get_json() if r["region_code"] == PUJER]
    assert row["days_of_cover"] == 268 and row["in_transit"] == 200 and row["available"] == 268
    login(users["camat"])
    home = client.get("/beranda").get_data(as_text=True)
    assert "± 268,0 hari" in home and "468" not in home
    for path in ("/blanko/", f"/wilayah/{PUJER}"):
        html = client.get(path).get_data(as_text=True)
        assert "268,0 hari" in html and "468,0" not in html, path


def test_blanko_page_shows_the_reconciliation_table(pujer, users, login, client):
    start, end = _period()
    login(users["petugas"])
    html = client.get(f"/blanko/?dari={start}&sampai={end}").get_data(as_text=True)
    table = html[html.index('data-testid="reconciliation"') :]

    def cells(code):
        row = table[table.index(f'data-recon="{code}"') :].split("</tr>")[0]
        return re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)

    assert cells(PUJER) == ["0", "298", "0", "0", "30", "0", "0", "268", "200", "2"]
    assert cells(DINAS) == ["0", "1.000", "500", "0", "0", "0", "0", "500", "0", "0"]
    assert cells("jumlah")[7] == "768"
    assert "alert-danger" not in html

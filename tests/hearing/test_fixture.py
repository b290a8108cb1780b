"""One dataset with known answers: the summary service, the API, the PDF text and the XLSX
cells all give the same numbers."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from assets_app.hearing import services
from assets_app.hearing.summary import build_summary
from reports.hearing_text import hari, jam, persen
from tests.hearing import fixture
from tests.hearing.fixture import END, EXPECTED, NOW, START, TODAY
from tests.querycount import count_queries


@pytest.fixture
def data(users):
    return fixture.build(users)


def _total_dict(figures) -> dict:
    return {k: v for k, v in figures.as_dict().items() if k in EXPECTED}


def test_summary_service_gives_the_known_answers(users, data):
    with time_machine.travel(NOW, tick=False):
        s = build_summary(users["dprd"], "35.11", START, END, TODAY)
    assert _total_dict(s.total) == EXPECTED
    rows = {r.region_code: r.figures for r in s.rows}
    assert rows["35.11.05"].idle_value == 49_990_000
    assert rows["35.11.05"].downtime_by_party == {"disdukcapil": 487.0}
    assert rows["35.11.02"].coverage_pct == 93.55  # two kelurahan: 15,407 of 16,470
    assert rows["35.11.05"].coverage_pct == 95.0  # the June snapshot, not January's
    assert rows["35.11.01"].can_record_today is False
    assert rows["35.11.01"].overdue_tickets == 1 and rows["35.11.01"].awaiting_reply_days == 51
    assert rows["35.11.05"].days_of_cover == 69.0  # 690 at 10 a day
    assert rows["35.11"].blanko_received == 5_000 and rows["35.11"].blanko_balance == 4_000
    assert rows["35.11"].blanko_distributed == 1_000  # the Dinas row shows what it shipped
    assert rows["35.11"].training_gaps == 1  # the Dinas' server
    assert s.available == {
        "assets",
        "downtime",
        "usage",
        "coverage",
        "tickets",
        "letters",
        "training",
        "blanko",
    }


def test_sections_answer_the_hearing_questions(users, data):
    with time_machine.travel(NOW, tick=False):
        s = build_summary(users["dprd"], "35.11", START, END, TODAY, sections=True)
    [idle] = s.sections["idle_assets"]
    assert (idle.name, idle.unit_price, str(idle.since)) == (
        "Printer kartu",
        49_990_000,
        "2026-06-10",
    )
    assert idle.reason.startswith("Tidak ada operator terlatih")
    assert "Operator dimutasi" in idle.reason
    [ticket] = s.sections["overdue_tickets"]
    assert ticket.days_waiting == 59 and ticket.responsible_party == "Diskominfo"
    assert [lt.number for lt in ticket.letters] == [lt.number for lt in data["letters"]]
    assert ticket.letters[0].recipient == data["letters"][0].recipient.splitlines()[0]
    gaps = {(g.region_code, g.category) for g in s.sections["training_gaps"]}
    assert gaps == {
        ("35.11.05", "Perekaman KTP-el"),
        ("35.11.05", "Cetak KTP-el"),
        ("35.11.01", "Jaringan"),
        ("35.11", "Server"),
    }
    printer = [g for g in s.sections["training_gaps"] if g.category == "Cetak KTP-el"][0]
    assert printer.assets_value == 49_990_000
    purchases = {(p.year, p.funding_source, p.name): p for p in s.sections["purchases"]}
    assert purchases[(2019, "APBD", "Printer kartu")].unit_price == 49_990_000
    assert purchases[(2021, "DAK", "Alat Sidik Jari")].total_value == 8_750_000


def test_api_gives_the_same_numbers(users, data, client, api_token):
    headers = api_token(users["dprd"])
    with time_machine.travel(NOW, tick=False):
        body = client.get(
            "/api/v1/reports/summary?region=35.11&from=2026-06-01&to=2026-06-30", headers=headers
        ).get_json()
    assert {k: body["total"][k] for k in EXPECTED} == EXPECTED
    pujer = next(k for k in body["kecamatan"] if k["region_code"] == "35.11.05")
    assert pujer["idle_value"] == 49_990_000 and pujer["can_record_today"] is True


def test_pdf_and_xlsx_give_the_same_numbers(users, data, app):
    with time_machine.travel(NOW, tick=False):
        packet = services.generate_packet(
            users["dprd"], "35.11", START, END, base_url="https://x.id"
        )
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(packet.pdf)).pages)
    )
    e = EXPECTED
    for expected in (
        "Tercatat 5 unit peralatan dengan nilai perolehan Rp 124.690.000",
        f"Sebanyak {persen(e['operational_pct'])} peralatan",  # 80,00%
        "2 dari 23 kecamatan dapat melayani perekaman KTP-el",
        f"selama total {jam(e['downtime_hours'])} jam",  # 559,0
        "Disdukcapil (487,0 jam",
        "Sebanyak 1 unit peralatan senilai Rp 49.990.000 menganggur",
        "tidak ada operator terlatih",
        "130 perekaman KTP-el di kecamatan, dan 17 warga",
        "terdapat 2 tiket perbaikan yang masih terbuka; 1 di antaranya",
        "sudah berumur 59 hari",
        "Selama periode Dinas mengirim 1 surat keluar.",
        "Per 30 Juni 2026, 2 surat keluar Dinas yang dikirim sampai tanggal itu belum dibalas; "
        "yang terlama sudah menunggu 51 hari.",
        "Dinas menerima 0 surat masuk",
        "Terdapat 1 operator dengan sertifikat",
        "dan 4 kesenjangan pelatihan",
        "sebanyak 4.690 keping",
        f"sekitar {hari(e['days_of_cover'])} hari",  # 469,0
        "saldo awal 0 + diterima 6.000 − dikirim 1.000 + kembali 0 − dipakai 300 − rusak 10",
        "= saldo akhir 4.690 keping",
        "(tingkat kerusakan 3,23%)",
        "Cakupan perekaman KTP-el 94,48% (43.907 dari 46.470 wajib KTP-el",
        "Rp 49.990.000",
        data["letters"][0].number,
        data["letters"][1].number,
        "Jaringan VPN Kecamatan Maesan putus",
    ):
        assert expected in text, expected
    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    summary = {r[1].value: r[2].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    for key, value in EXPECTED.items():
        if key in ("downtime_by_party", "downtime_by_cause"):
            continue
        # a percentage is stored as its ratio (0.8 with a % format for 80%)
        want = round(value / 100, 6) if key.endswith("_pct") else value
        assert summary[key] == want, key
    parties = {
        r[1].value: r[3].value
        for r in wb["Waktu henti"].iter_rows(min_row=2)
        if r[0].value == "Pihak penanggung jawab"
    }
    assert parties == EXPECTED["downtime_by_party"]
    ws = wb["Kecamatan"]
    head = [c.value for c in ws[1]]
    total = dict(zip(head, (c.value for c in ws[ws.max_row]), strict=True))
    assert total["Nilai aset"] == EXPECTED["assets_value"]
    assert total["Cakupan rekam (%)"] == round(EXPECTED["coverage_pct"] / 100, 6)
    assert total["Blanko cukup (hari)"] == EXPECTED["days_of_cover"]


def test_dataset_summary_runs_bounded_queries(users, data):
    with (
        time_machine.travel(NOW, tick=False),
        count_queries(__import__("assets_app.extensions", fromlist=["db"]).db.engine) as statements,
    ):
        build_summary(users["dprd"], "35.11", START, END, TODAY, sections=True)
    assert len(statements) <= 35

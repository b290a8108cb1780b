"""Issue 12: figures true for their period. A January–June packet generated on 1 December
counts tickets as of 30 June (a ticket opened in May and closed in August was open then), does
not contain a ticket filed in November, and labels every point-in-time figure "per 30 Juni
2026"; the API returns the same `as_of`. A period that ends today is labelled with the
generation instant."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from assets_app.common.timeutil import WIB
from assets_app.extensions import db
from assets_app.hearing import services
from assets_app.hearing.period import as_of_for
from assets_app.hearing.summary import build_summary
from assets_app.tickets import services as tickets
from tests.tickets.helpers import file_ticket

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=WIB)  # the packet is made on 1 December
START, END = date(2026, 1, 1), date(2026, 6, 30)
AS_OF = "2026-06-30T23:59:59+07:00"


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def _step(ticket, by, at, *targets):
    with time_machine.travel(at, tick=False):
        for to in targets:
            tickets.transition(ticket, by=by, to=to, note="catatan")
        db.session.commit()


@pytest.fixture
def data(users):
    petugas, camat = users["petugas"], users["camat"]
    with time_machine.travel(wib(2026, 5, 4, 9), tick=False):
        may = file_ticket(camat, title="Printer kartu macet")
    _step(may, petugas, wib(2026, 5, 4, 10), "diterima", "dikerjakan")
    with time_machine.travel(wib(2026, 7, 15, 9), tick=False):  # after the period: the vendor
        tickets.assign(may, by=petugas, responsible_party="vendor", note="garansi")
        db.session.commit()
    _step(may, petugas, wib(2026, 8, 10, 9), "selesai")
    _step(may, camat, wib(2026, 8, 11, 9), "ditutup")
    with time_machine.travel(wib(2026, 11, 20, 9), tick=False):
        november = file_ticket(camat, title="Server November mati")
    return {"may": may, "november": november}


def test_as_of_is_the_end_of_the_period_or_now():
    assert as_of_for(END, NOW).isoformat() == AS_OF
    assert as_of_for(date(2026, 12, 1), NOW) == NOW  # ends today: the generation instant
    assert as_of_for(date(2026, 12, 31), NOW) == NOW  # ends later: still now


def test_summary_counts_tickets_as_of_the_period_end(users, data):
    with time_machine.travel(NOW, tick=False):
        s = build_summary(users["petugas"], "35.11", START, END, sections=True)
    assert s.as_of.isoformat() == AS_OF
    assert s.as_of_label == "30 Juni 2026"
    pujer = next(r.figures for r in s.rows if r.region_code == "35.11.05")
    assert (pujer.open_tickets, pujer.overdue_tickets) == (1, 1)  # May's, not November's
    assert pujer.oldest_ticket_days == 57  # 4 May 09.00 → end of 30 June
    assert s.total.open_tickets == 1
    assert [t.number for t in s.sections["overdue_tickets"]] == [data["may"].number]
    assert s.sections["overdue_tickets"][0].status == "Dikerjakan"  # its status at 30 June
    assert s.sections["overdue_tickets"][0].responsible_party == "Disdukcapil"  # not July's


def test_api_returns_the_matching_as_of(users, data, client, api_token):
    with time_machine.travel(NOW, tick=False):
        body = client.get(
            "/api/v1/reports/summary?region=35.11&from=2026-01-01&to=2026-06-30",
            headers=api_token(users["petugas"]),
        ).get_json()
    assert body["as_of"] == AS_OF
    assert body["total"]["as_of"] == AS_OF
    assert body["as_of_label"] == "30 Juni 2026"
    assert body["total"]["open_tickets"] == 1
    assert {k["as_of"] for k in body["kecamatan"]} == {AS_OF}


def _pdf_text(pdf: bytes) -> str:
    pages = PdfReader(BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))


def test_january_june_packet_made_in_december(users, data, app):
    with time_machine.travel(NOW, tick=False):
        packet = services.generate_packet(
            users["petugas"], "35.11", START, END, base_url="https://x.id"
        )
    assert packet.report.as_of == END
    assert packet.report.options["as_of"] == AS_OF
    text = _pdf_text(packet.pdf)
    assert data["november"].number not in text and "Server November mati" not in text
    assert data["may"].number in text
    for expected in (
        "adalah keadaan per 30 Juni 2026;",
        "Per 30 Juni 2026 terdapat 1 tiket perbaikan yang masih terbuka; 1 di antaranya",
        "Saldo blanko KTP-el per 30 Juni 2026",
        "Keadaan per 30 Juni 2026",
        "Tiket terbuka / melewati batas waktu per 30 Juni 2026 1 / 1",
    ):
        assert expected in text, expected
    stamp = "1 Desember 2026 14.05 WIB"  # the generation stamp is the only December date
    assert text.count("1 Desember 2026") == text.count(f"Dibuat {stamp}") + 1
    assert f"Tanggal pembuatan {stamp}" in text

    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    info = {r[0].value: r[1].value for r in wb["Info"].iter_rows(min_row=2)}
    assert info["Keadaan per"] == "30 Juni 2026"
    labels = {r[1].value: (r[0].value, r[2].value) for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert labels["open_tickets"] == ("Tiket terbuka per 30 Juni 2026", 1)
    assert labels["blanko_balance"][0] == "Saldo blanko per 30 Juni 2026"
    assert "sampai" not in labels["downtime_hours"][0]  # the period has ended
    late = [r[0] for r in wb["Tiket terlambat"].iter_rows(min_row=2, values_only=True)]
    assert data["november"].number not in late


def test_a_period_ending_today_is_labelled_with_the_generation_time(users, data, app, client):
    with time_machine.travel(NOW, tick=False):
        packet = services.generate_packet(
            users["petugas"], "35.11", date(2026, 11, 1), date(2026, 12, 1), base_url="https://x"
        )
        s = build_summary(users["petugas"], "35.11", date(2026, 11, 1), date(2026, 12, 1))
    assert s.as_of == NOW and s.as_of_label == "1 Desember 2026 14.05 WIB"
    assert s.total.open_tickets == 1  # November's; May's was closed in August
    text = _pdf_text(packet.pdf)
    assert "Keadaan per 1 Desember 2026 14.05 WIB" in text
    assert "Per 1 Desember 2026 14.05 WIB terdapat 1 tiket perbaikan" in text
    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    labels = {r[1].value: r[0].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert labels["downtime_hours"] == "Waktu henti (jam) sampai 1 Desember 2026 14.05 WIB"


def test_summary_page_says_per_when(users, data, client, login):
    with time_machine.travel(NOW, tick=False):
        login(users["petugas"])
        ended = client.get("/laporan/ringkasan?region=35.11&dari=2026-01-01&sampai=2026-06-30")
        running = client.get("/laporan/ringkasan?region=35.11&dari=2026-11-01&sampai=2026-12-01")
    page = ended.get_data(as_text=True)
    assert "keadaan per 30 Juni 2026" in page
    assert "jam</" in page and "selama periode, per" not in page
    page = running.get_data(as_text=True)
    assert "keadaan per 1 Desember 2026 14.05 WIB" in page
    assert "selama periode, per 1 Desember 2026 14.05 WIB" in page

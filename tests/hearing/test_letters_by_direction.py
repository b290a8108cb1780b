"""Issue 12: the DPRD figures on letters count by direction. Kec. Cipocok Jaya: three letters
from the camat and one from the Dinas to Ditjen, unanswered → the Dinas sent 1 (not 4),
received 3, and 1 is unanswered at the period's end. The summary service, the API, the PDF
text and the XLSX cells all say so."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from assets_app.hearing import services
from assets_app.hearing.summary import build_summary
from tests.letters import example
from tests.letters.example import DAYS_WAITING, END, KEC, NOW, START

LETTERS = {
    "letters_sent": 1,
    "letters_received": 3,
    "letters_unanswered": 1,
    "awaiting_reply_days": DAYS_WAITING,
}


@pytest.fixture
def data(users):
    with time_machine.travel(NOW, tick=False):
        return example.build(users)


def _letters(figures: dict) -> dict:
    return {k: figures[k] for k in LETTERS}


def test_summary_counts_letters_by_direction(users, data):
    with time_machine.travel(NOW, tick=False):
        s = build_summary(users["petugas_serang"], "36.73", START, END)
    rows = {r.region_code: r.figures for r in s.rows}
    assert _letters(rows[KEC].as_dict()) == LETTERS
    assert _letters(s.total.as_dict()) == LETTERS
    other = rows["36.73.01"]
    assert (other.letters_sent, other.letters_received, other.letters_unanswered) == (0, 0, 0)


def test_api_returns_letters_received_and_unanswered(users, data, client, api_token):
    headers = api_token(users["petugas_serang"])
    with time_machine.travel(NOW, tick=False):
        body = client.get(
            "/api/v1/reports/summary?region=36.73&from=2026-06-01&to=2026-10-31", headers=headers
        ).get_json()
    assert _letters(body["total"]) == LETTERS
    assert body["total"]["letters_awaiting_reply"] == 1  # the former key, same value
    row = next(k for k in body["kecamatan"] if k["region_code"] == KEC)
    assert _letters(row) == LETTERS and row["letters_awaiting_reply"] == 1


def test_packet_pdf_and_xlsx_say_sent_received_unanswered(users, data, app):
    with time_machine.travel(NOW, tick=False):
        packet = services.generate_packet(
            users["petugas_serang"], "36.73", START, END, base_url="https://x.id"
        )
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(packet.pdf)).pages)
    )
    for expected in (
        "Selama periode Dinas mengirim 1 surat keluar.",
        "Per 31 Oktober 2026, 1 surat keluar Dinas yang dikirim sampai tanggal itu belum "
        f"dibalas; yang terlama sudah menunggu {DAYS_WAITING} hari.",
        "Dinas menerima 3 surat masuk (misalnya dari camat) selama periode",
        "Surat keluar dikirim Dinas dalam periode 1",
        "Surat masuk diterima Dinas dalam periode 3",
        f"Surat keluar belum dibalas per akhir periode 1 (terlama {DAYS_WAITING} hari)",
        "Tabel 1b. Tiket dan surat",
    ):
        assert expected in text, expected
    assert "mengirim 4 surat" not in text

    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    summary = {r[1].value: r[2].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert _letters(summary) == LETTERS
    ws = wb["Kecamatan"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    kec = next(r for r in rows if r["Kode wilayah"] == KEC)
    assert rows[-1]["Kecamatan / lokasi"] == "Jumlah"
    for cells in (kec, rows[-1]):  # Cipocok Jaya, and the total row
        assert cells["Surat keluar dikirim Dinas"] == 1
        assert cells["Surat masuk diterima"] == 3
        assert cells["Surat keluar belum dibalas (akhir periode)"] == 1
        assert cells["Menunggu balasan terlama (hari)"] == DAYS_WAITING

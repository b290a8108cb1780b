"""A ticket letter as PDF: read back with pypdf, and looked at as an image."""

import io
import subprocess
from datetime import datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from assets_app.extensions import db
from assets_app.letters import pdf as letter_pdf
from assets_app.letters import services as letters
from assets_app.tickets import services
from assets_app.tickets.sla import WIB
from tests.tickets.helpers import file_ticket, make_asset

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)


def _pgm(pdf: bytes, tmp_path, dpi: int = 40) -> tuple[int, int, bytes]:
    """First page as 8-bit grey pixels (pdftoppm -gray writes a binary PGM)."""
    src = tmp_path / "surat.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(src), str(tmp_path / "p")],
        check=True,
    )
    raw = next(tmp_path.glob("p*.pgm")).read_bytes()
    magic, width, height, maxval, pixels = raw.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


@pytest.fixture
def signed_letter(users):
    with time_machine.travel(NOW - timedelta(days=152), tick=False):
        asset = make_asset("35.11.05", name="Server perekaman", serial_number="SN-R240-77")
        ticket = file_ticket(users["camat"], asset_id=asset.id)
    earlier = letters.compose_letter(
        by=users["petugas"],
        region_code="35.11.05",
        direction="masuk",
        sender="Camat Pujer",
        recipient="Kepala Dinas",
        number="045.2/137/Kec.Pjr/2026",
        letter_date="2026-06-29",
        perihal="Permohonan perbaikan",
        subject_type="ticket",
        subject_id=ticket.id,
    )
    with time_machine.travel(NOW, tick=False):
        fields = services.letter_draft_defaults(ticket, "vendor")
        letter = services.compose_ticket_letter(ticket, by=users["petugas"], **fields)
        letters.sign_letter(letter, users["kadis"])
        db.session.commit()
    assert earlier.id
    return letter


def test_letter_pdf_contains_number_perihal_recipient_and_facts(signed_letter):
    text = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(letter_pdf.letter_pdf_bytes(signed_letter))).pages
    )
    flat = " ".join(text.split())
    assert signed_letter.number == "000.2.2/0001/Disdukcapil/2026"
    for expected in (
        "PEMERINTAH KABUPATEN BONDOWOSO",
        "000.2.2/0001/Disdukcapil/2026",
        "Bondowoso, 23 November 2026",
        "Permohonan tindak lanjut perbaikan perangkat Kecamatan Pujer",
        "Pimpinan PT Sinar Data",
        "Kecamatan: Pujer",
        "Perangkat: Server perekaman (Dell PowerEdge R240, nomor seri SN-R240-77",
        "Sejak: 24 Juni 2026",
        "Lama menunggu: 152 hari",
        "045.2/137/Kec.Pjr/2026 tanggal 29 Juni 2026",
        "TK-2026-00001",
    ):
        assert expected in flat, expected


def test_letter_pdf_looks_like_a_letter(signed_letter, tmp_path):
    width, height, pixels = _pgm(letter_pdf.letter_pdf_bytes(signed_letter), tmp_path)
    assert (width, height) == (331, 468)  # A4 at 40 dpi
    dark = sum(1 for p in pixels if p < 128)
    assert 0.01 < dark / len(pixels) < 0.25  # text on a white page, not blank, not black

    def dark_rows(top, bottom):
        return sum(
            1
            for y in range(top, bottom)
            if any(p < 100 for p in pixels[y * width : (y + 1) * width])
        )

    assert dark_rows(0, height // 8) > 10  # the letterhead is at the top
    # The double rule under the kop: a row that is dark across most of the width.
    assert any(
        sum(1 for p in pixels[y * width : (y + 1) * width] if p < 128) > width * 0.7
        for y in range(height // 4)
    )


def test_draft_pdf_shows_the_watermark(users, tmp_path):
    ticket = file_ticket(users["camat"])
    fields = services.letter_draft_defaults(ticket)
    letter = services.compose_ticket_letter(ticket, by=users["petugas"], **fields)
    db.session.commit()
    width, height, pixels = _pgm(letter_pdf.render_letter_pdf(letter), tmp_path)
    grey = sum(1 for p in pixels if 170 < p < 235)  # the light grey DRAF across the page
    assert grey > 0.02 * len(pixels)

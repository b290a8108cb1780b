"""The blanko renderers are pure: frozen dataclasses in, PDF bytes out, no app imports."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime

from pypdf import PdfReader

from reports import berita_acara_pdf, blanko_request_pdf, opname_pdf
from reports._blanko_doc import Kop, Signer


def text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_renderers_import_no_flask_or_sqlalchemy():
    code = (
        "import sys; import reports.berita_acara_pdf, reports.opname_pdf, "
        "reports.blanko_request_pdf; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules "
        "and 'assets_app' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


KOP = Kop("PEMERINTAH KOTA DEPOK")


def test_berita_acara_penyesuaian():
    doc = berita_acara_pdf.BeritaAcara(
        kop=KOP,
        number="BA/SO/3/2026",
        kind="penyesuaian",
        place="Depok",
        location="Kec. Beji",
        location_code="32.76.06",
        movement_id=41,
        quantity=12,
        increase=True,
        occurred_at=datetime(2026, 3, 2, 2, tzinfo=UTC),
        decided_at=datetime(2026, 3, 3, 3, tzinfo=UTC),
        reason="Stock opname: hitung 512, buku 500. Kardus tercecer",
        recorded_by="Petugas Depok",
        approved_by="Kadis Depok",
    )
    out = text(berita_acara_pdf.render(doc))
    assert "BERITA ACARA PENYESUAIAN STOK BLANKO KTP-el" in out
    assert "Penambahan stok" in out and "12 (dua belas) keping" in out
    assert "Selasa, tanggal 3 Maret 2026" in out


def test_opname_sheet_with_no_lines_still_renders_signatures():
    sheet = opname_pdf.OpnameSheet(
        kop=KOP,
        scope="Kec. Beji",
        place="Depok",
        printed_at=datetime(2026, 3, 3, tzinfo=UTC),
        lines=(),
    )
    out = text(opname_pdf.render(sheet))
    assert "Tidak ada lokasi." in out and "Petugas penghitung" in out


def test_request_letter_without_usage():
    letter = blanko_request_pdf.RequestLetter(
        kop=KOP,
        place="Depok",
        region_name="Kota Depok",
        letter_no="400.12.2.1/4/Disdukcapil/2026",
        letter_date=date(2026, 3, 4),
        recipient="Direktur Jenderal Kependudukan dan Pencatatan Sipil",
        quantity=1500,
        usage_30_days=0,
        avg_daily=0.0,
        stock=0,
        days_of_cover=None,
        lead_time_days=14,
        open_requests=500,
        note=None,
        signer=Signer("Kepala Dinas", "Nama Kadis", nip="19700101 199001 1 001"),
    )
    out = text(blanko_request_pdf.render(letter))
    assert "1.500 (seribu lima ratus) keping" in out
    assert "belum dapat dihitung" in out
    assert "Permohonan sebelumnya yang belum terpenuhi: 500 keping." in out
    assert "NIP. 19700101 199001 1 001" in out

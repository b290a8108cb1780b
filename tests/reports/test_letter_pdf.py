"""The pure letter renderer: frozen data in, PDF bytes out, no app."""

import io
from datetime import date

from pypdf import PdfReader

from reports.letter_pdf import LetterDoc, LetterKop, render_letter_pdf


def doc(**kw):
    values = {
        "kop": LetterKop(
            "Pemerintah Kota Serang",
            "Dinas Kependudukan dan Pencatatan Sipil",
            "Jl. Jenderal Sudirman No. 5, Serang",
            "Telepon (0254) 200000",
        ),
        "place": "Serang",
        "letter_date": date(2026, 10, 23),
        "number": "000.2.2/0012/Disdukcapil/2026",
        "sifat": "Segera",
        "lampiran": "-",
        "perihal": "Permohonan perbaikan server perekaman",
        "recipient": "Direktur Jenderal Kependudukan dan Pencatatan Sipil\nKementerian Dalam Negeri",
        "recipient_place": "Jakarta",
        "body": "Dengan hormat,\n\n- Kecamatan: Cipocok Jaya\n- Lama menunggu: 152 hari\n\n"
        "Demikian <kami> sampaikan & terima kasih.",
        "signer_position": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Serang",
        "signer_name": "Drs. Nama Pejabat",
        "signer_nip": "196801011990031001",
        "tembusan": ("Wali Kota Serang", "Camat Cipocok Jaya"),
    }
    values.update(kw)
    return LetterDoc(**values)


def text_of(data: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table cells and wrapped lines come back split


def test_signed_letter_text():
    data = render_letter_pdf(doc())
    assert data.startswith(b"%PDF")
    text = text_of(data)
    for expected in (
        "PEMERINTAH KOTA SERANG",
        "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        "000.2.2/0012/Disdukcapil/2026",
        "Serang, 23 Oktober 2026",
        "Permohonan perbaikan server perekaman",
        "Yth.",
        "Kementerian Dalam Negeri",
        "di Jakarta",
        "Kecamatan: Cipocok Jaya",
        "Lama menunggu: 152 hari",
        "Demikian <kami> sampaikan & terima kasih.",
        "NIP. 196801011990031001",
        "Tembusan:",
        "2. Camat Cipocok Jaya",
    ):
        assert expected in text, expected
    assert "DRAF" not in text


def test_draft_has_watermark_and_no_number():
    text = text_of(render_letter_pdf(doc(number=None, letter_date=None, draft=True)))
    assert "DRAF" in text
    assert "(diberikan saat ditandatangani)" in text
    assert ", (tanggal)" in text


def test_long_body_flows_to_more_pages():
    body = "\n\n".join(f"Paragraf {i}: " + "kalimat panjang " * 40 for i in range(30))
    reader = PdfReader(io.BytesIO(render_letter_pdf(doc(body=body))))
    assert len(reader.pages) > 1
    assert "Halaman 2" in reader.pages[1].extract_text()

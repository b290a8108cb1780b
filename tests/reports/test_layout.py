"""Layout rules of every PDF: the closing block never parts from the last paragraph, every page
of a multi-page document says "Halaman x dari y", long lists shrink or wrap instead of running
into what is below them, dates in words, amounts followed by their terbilang."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import berita_acara_pdf, blanko_request_pdf, opname_pdf
from reports._blanko_doc import Kop, Signer
from reports.certificate_pdf import TABLE_FLOOR, CertificateTopicLine, render_certificate_pdf
from reports.labels_pdf import Label, render_labels_pdf
from reports.letter_pdf import render_letter_pdf
from tests.reports.test_certificate_pdf import _cert
from tests.reports.test_letter_pdf import doc as letter_doc

KOP = Kop("PEMERINTAH KABUPATEN BONDOWOSO")
SENTENCE = (
    "Sehubungan dengan kerusakan perangkat perekaman KTP-el di kecamatan kami, pelayanan "
    "kepada penduduk terhenti dan kami mohon bantuan perbaikan secepatnya. "
)


def pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def positions(data: bytes, page: int = 0) -> list[tuple[float, float, str, float]]:
    """(x, y, text, font size) of every text run drawn on a page, in points."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, text.strip(), size * tm[0] * cm[0] or size))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return out


def assert_numbered(texts: list[str]) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {total}" in text, (number, text[-120:])


# --- letters -----------------------------------------------------------------------------


@pytest.mark.parametrize("paragraphs", range(3, 12))
def test_letter_closing_block_stays_together_with_the_last_paragraph(paragraphs):
    """Whatever the length of the body, the page holding the tembusan also holds the signature
    and the end of the last paragraph (the tembusan never stands alone on page 2)."""
    last = f"Demikian surat ke-{paragraphs} ini kami sampaikan, atas perhatiannya terima kasih."
    body = "\n\n".join([SENTENCE * 3] * paragraphs + [last])
    texts = pages(render_letter_pdf(letter_doc(body=body)))
    with_tembusan = [t for t in texts if "Tembusan:" in t]
    assert len(with_tembusan) == 1
    closing = with_tembusan[0]
    assert "1. Wali Kota Serang 2. Camat Cipocok Jaya" in closing
    assert "Drs. Nama Pejabat" in closing and "NIP. 196801011990031001" in closing
    assert "atas perhatiannya terima kasih." in closing
    assert closing is texts[-1]
    if len(texts) > 1:
        assert_numbered(texts)
    else:
        assert "Halaman" not in texts[0]  # a one-page letter carries no page number


def test_long_letter_says_page_x_of_y_on_every_page():
    texts = pages(render_letter_pdf(letter_doc(body="\n\n".join([SENTENCE * 4] * 8))))
    assert len(texts) == 2
    assert "Halaman 1 dari 2" in texts[0] and "Halaman 2 dari 2" in texts[1]
    assert_numbered(texts)


def test_letter_amounts_are_followed_by_terbilang():
    body = (
        "Biaya perbaikan sebesar Rp 1.250.000 dibebankan pada DPA. Ongkos kirim Rp500 "
        "dan honor Rp 2.000.000 (dua juta rupiah) sudah ditulis."
    )
    text = " ".join(pages(render_letter_pdf(letter_doc(body=body))))
    assert "Rp 1.250.000 (satu juta dua ratus lima puluh ribu rupiah) dibebankan" in text
    assert "Rp500 (lima ratus rupiah) dan" in text
    assert "Rp 2.000.000 (dua juta rupiah) sudah" in text  # written once, not twice
    assert "23 Oktober 2026" in text  # the date in words


# --- certificate ---------------------------------------------------------------------------

QR_BOX = (24 * mm, 22 * mm, 56 * mm, 54 * mm)  # x0, y0, x1, y1 of the QR code
DATE_LINE_TOP = 52 * mm + 11  # the place/date line of the signature and its 11 pt type

LONG_TOPICS = (
    "Perekaman KTP-el dan verifikasi biometrik sidik jari serta iris mata penduduk",
    "Pencetakan KTP-el dan personalisasi kartu",
    "Pencetakan kartu keluarga, akta kelahiran dan akta kematian",
    "Jaringan VPN, SIAK terpusat dan pemeliharaan perangkat",
    "Pelayanan prima",
)


SEVEN = (*LONG_TOPICS, "Pemeliharaan perangkat", "Pelayanan prima dan pengaduan")


@pytest.mark.parametrize("labels", [LONG_TOPICS, tuple(t.split()[0] for t in LONG_TOPICS), SEVEN])
def test_certificate_with_many_competencies_keeps_the_qr_and_date_line_clear(labels):
    cert = _cert(
        topics=tuple(CertificateTopicLine(label, date(2028, 3, 9)) for label in labels),
        training_title="Bimbingan teknis perekaman dan pencetakan KTP-el bagi operator "
        "kecamatan se-Kabupaten Bondowoso tahun anggaran 2026",
        trainer="Tim Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
        score=88,
    )
    data = render_certificate_pdf(cert)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    runs = positions(data)
    x0, y0, x1, y1 = QR_BOX
    inside = [t for x, y, t, _ in runs if x0 <= x <= x1 and y0 <= y <= y1 + 3 * mm]
    assert inside == []
    # every competence and its date are drawn above the QR code and the signature's date line
    table = [(x, y, t, s) for x, y, t, s in runs if y > DATE_LINE_TOP and y < 95 * mm]
    drawn = " ".join(t for _, _, t, _ in table)
    for label in labels:
        assert " ".join(label.split()[:2]) in drawn, label
    assert drawn.count("9 Maret 2028") == len(labels)
    assert min(y for _, y, t, _ in runs if t == "9 Maret 2028") >= TABLE_FLOOR
    # a label never runs into its date column: each label line ends before the date's x
    date_xs = sorted({round(x) for x, _, t, _ in runs if t == "9 Maret 2028"})
    for x, _, t, size in table:
        if t in ("9 Maret 2028", "Kompetensi", "Berlaku s.d.") or x > date_xs[-1]:
            continue
        column_date_x = min(d for d in date_xs if d > x)
        assert x + stringWidth(t, "Helvetica", size) < column_date_x, t


# --- blanko documents --------------------------------------------------------------------


def _ba(number: str) -> bytes:
    doc = berita_acara_pdf.BeritaAcara(
        kop=KOP,
        number=number,
        kind="rusak",
        place="Bondowoso",
        location="Kec. Pujer",
        location_code="35.11.05",
        movement_id=7,
        quantity=3,
        increase=False,
        occurred_at=datetime(2026, 11, 30, 2, tzinfo=UTC),
        decided_at=datetime(2026, 12, 1, 3, tzinfo=UTC),
        reason="Gagal cetak",
        recorded_by="Petugas",
        approved_by="Kadis",
    )
    return berita_acara_pdf.render(doc)


def test_berita_acara_footer_shows_its_number_once_and_the_page_count():
    (text,) = pages(_ba("BA.400.12.2.1/07/Disdukcapil/2026"))
    assert "Halaman 1 dari 1 · BA.400.12.2.1/07/Disdukcapil/2026" in text
    assert "BA BA." not in text
    assert "Bondowoso, 1 Desember 2026" in text  # the date in words
    (other,) = pages(_ba("17/2026"))
    assert "Halaman 1 dari 1 · BA 17/2026" in other


def _opname(n_lines: int, signers=()) -> bytes:
    lines = tuple(
        opname_pdf.OpnameLine(f"35.11.{i:02d}", f"Kec. Lokasi {i}", 100 + i, 10, 2)
        for i in range(1, n_lines + 1)
    )
    sheet = opname_pdf.OpnameSheet(
        kop=KOP,
        scope="Kabupaten Bondowoso",
        place="Bondowoso",
        printed_at=datetime(2026, 12, 1, 1, tzinfo=UTC),
        lines=lines,
        signers=signers,
    )
    return opname_pdf.render(sheet)


def test_opname_total_row_sums_every_numeric_column_and_pages_are_numbered():
    texts = pages(_opname(40))
    assert len(texts) >= 2
    assert_numbered(texts)
    # 40 locations: on hand 100+i → 4.820, in transit 10 each → 400, reserved 2 each → 80
    assert re.search(r"Jumlah 4\.820 400 80", texts[-1]), texts[-1][-300:]


def test_opname_mengetahui_line_carries_the_date():
    signers = (
        Signer("Petugas penghitung"),
        Signer("Kepala Dinas", "Kadis", above="Mengetahui, Bondowoso"),
    )
    text = " ".join(pages(_opname(2, signers)))
    assert "Mengetahui, Bondowoso, 1 Desember 2026" in text
    default = " ".join(pages(_opname(2)))
    assert "Mengetahui, Bondowoso, 1 Desember 2026" in default
    assert default.count("Mengetahui, Bondowoso, 1 Desember 2026") == 1
    assert "1 Desember 2026, 1 Desember 2026" not in default  # the date once, not twice


def _request(note: str | None) -> bytes:
    letter = blanko_request_pdf.RequestLetter(
        kop=KOP,
        place="Bondowoso",
        region_name="Kabupaten Bondowoso",
        letter_no="400.12.2.1/0001/Disdukcapil/2026",
        letter_date=date(2026, 12, 1),
        recipient="Direktur Jenderal Kependudukan dan Pencatatan Sipil",
        quantity=1250,
        usage_30_days=900,
        avg_daily=30.0,
        stock=200,
        days_of_cover=6.7,
        lead_time_days=14,
        open_requests=0,
        note=note,
        signer=Signer("Kepala Dinas Kependudukan dan Pencatatan Sipil", "Kadis"),
        tembusan=(
            "Bupati Bondowoso",
            "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Timur",
        ),
    )
    return blanko_request_pdf.render(letter)


@pytest.mark.parametrize("note_sentences", [0, 8, 12, 16, 20])
def test_request_letter_closing_block_stays_together(note_sentences):
    note = SENTENCE * note_sentences or None
    texts = pages(_request(note))
    closing = [t for t in texts if "Tembusan" in t]
    assert len(closing) == 1 and closing[0] is texts[-1]
    assert "Demikian permohonan ini kami sampaikan" in closing[0]
    assert "Kadis" in closing[0] and "Provinsi Jawa Timur" in closing[0]
    assert_numbered(texts)
    assert "1 Desember 2026" in texts[0]
    assert "1.250 (seribu dua ratus lima puluh) keping" in " ".join(texts)


# --- labels ------------------------------------------------------------------------------


def test_labels_shrink_or_wrap_instead_of_truncating_and_sheets_are_numbered():
    owners = ("Disdukcapil Kabupaten Bondowoso", "Disdukcapil Kabupaten Kepulauan Seribu Utara")
    labels = [
        Label(
            "1.3.2.10.01.02.001",
            f"{i:04d}",
            "PC Unit perekaman",
            "Kec. Tanjung Priok Pesisir Selatan Raya",
            f"https://aset.example.go.id/l/{i}",
            owner=owners[i % 2],
        )
        for i in range(30)
    ]
    texts = pages(render_labels_pdf(labels))
    assert len(texts) == 2
    assert_numbered(texts)
    joined = " ".join(texts)
    assert "Disdukcapil Kabupaten Bondowoso" in joined
    assert "Bondo…" not in joined and "…" not in joined
    assert "Kepulauan Seribu Utara" in joined
    assert "Pesisir Selatan Raya" in joined

"""The certificate renderer on hand-built data: no app, no database."""

import io
from datetime import date

from pypdf import PdfReader

from reports.certificate_pdf import (
    CertificateTopicLine,
    TrainingCertificate,
    render_certificate_pdf,
)


def _cert(**kw):
    base = {
        "certificate_no": "SERT/2026/000123",
        "name": "Raden Mas Muhammad Abdurrahman Wicaksono Hadiningrat Putra",
        "nip": None,
        "position": "Operator",
        "unit": "Kec. Pujer",
        "training_title": "Pelatihan",
        "topics": tuple(
            CertificateTopicLine(label, date(2028, 3, 9))
            for label in ("Perekaman KTP-el", "Cetak KTP-el", "Cetak KK", "Jaringan", "Server")
        ),
        "starts_on": date(2026, 3, 10),
        "ends_on": date(2026, 3, 10),
        "place": "Aula",
        "organiser": "Disdukcapil",
        "trainer": None,
        "score": None,
        "issuer": "Dinas Kependudukan dan Pencatatan Sipil Kota Depok",
        "issued_on": date(2026, 3, 10),
        "issued_place": "Depok",
        "verify_url": "https://aset.example.go.id/sertifikat/abc",
    }
    return TrainingCertificate(**{**base, **kw})


def test_five_topics_and_a_long_name_fit_one_landscape_page():
    data = render_certificate_pdf(_cert())
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Hadiningrat Putra" in text and "Server" in text and "Depok, 10 Maret 2026" in text
    assert "10 Maret 2026." in text  # a one-day session shows one date
    assert "NIP 1" not in text  # no NIP line when there is none


def test_characters_outside_latin1_degrade_instead_of_failing():
    data = render_certificate_pdf(_cert(name="Ṣiti Ẓahra “Ayu”"))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Siti Zahra" in text

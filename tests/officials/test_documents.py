"""Every document kind carries the official (name, NIP, jabatan) and the kop address; signed
documents keep what they were signed with."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from assets_app.blanko import ditjen, documents
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from assets_app.letters import pdf as letter_pdf
from assets_app.letters import services as letters
from assets_app.officials import services as officials
from tests.blanko.conftest import DINAS, PUJER
from tests.officials.conftest import ADDRESS, NAME, NIP, POSITION


def keep(name: str, data: bytes) -> bytes:
    """With SHOTS_DIR set, keeps the PDF there (to look at its pages as images)."""
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.pdf"), "wb") as fh:
            fh.write(data)
    return data


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def assert_signed(text: str, position: str = POSITION) -> None:
    assert NAME in text
    assert f"NIP. {NIP}" in text
    assert " ".join(position.split()) in text
    assert ADDRESS in text
    assert "Pejabat penanda tangan belum diatur" not in text


def _draft(users, **kw):
    return letters.compose_letter(
        by=users["petugas"], region_code=DINAS, direction="keluar", recipient="Diskominfo",
        perihal="Perbaikan jaringan", body="Mohon perbaikan jaringan.", classification="000.2.2",
        **kw,
    )  # fmt: skip


def _change_settings(users):
    base = letters.get_settings(DINAS)
    data = {f: getattr(base, f) for f in letters.SETTING_FIELDS}
    data.update(address="Jl. Baru No. 99", number_pattern="{klasifikasi}/{nomor}/BARU/{tahun}")
    letters.save_settings(DINAS, data, by=users["admin"])
    official = officials.signer_of(DINAS, "surat")
    officials.update_official(
        users["admin"], official, name="Ir. Pejabat Baru", nip="198001022005011004"
    )
    db.session.commit()


def test_letter_signed_with_official_and_kop_and_kept_after_settings_change(
    users, kop_and_official
):
    letter = _draft(users)
    letters.sign_letter(letter, users["kadis"])
    db.session.commit()
    stored = keep("surat", letter_pdf.letter_pdf_bytes(letter))
    assert_signed(text_of(stored))
    sha = letter.pdf_sha256
    assert hashlib.sha256(stored).hexdigest() == sha
    _change_settings(users)
    again = letter_pdf.letter_pdf_bytes(db.session.get(type(letter), letter.id))
    assert again == stored and letter.pdf_sha256 == sha
    new = _draft(users)
    letters.sign_letter(new, users["kadis"])
    text = text_of(letter_pdf.letter_pdf_bytes(new))
    assert "Ir. Pejabat Baru" in text and "Jl. Baru No. 99" in text and "/BARU/" in text
    assert NAME not in text


def test_draft_made_before_a_settings_change_is_signed_with_the_new_ones(users, kop_and_official):
    """Letter 6: a draft from before the change got the new number but the old signer."""
    letter = _draft(users)
    db.session.commit()
    _change_settings(users)
    letters.sign_letter(letter, users["kadis"])
    text = text_of(letter_pdf.letter_pdf_bytes(letter))
    assert "/BARU/" in letter.number
    assert "Ir. Pejabat Baru" in text and "NIP. 198001022005011004" in text
    assert "Jl. Baru No. 99" in text and ADDRESS not in text


def test_no_official_says_so_instead_of_dots(users, ledger):
    text = text_of(keep("opname-belum-diatur", documents.opname_sheet(users["kadis"], DINAS)[1]))
    assert "Pejabat penanda tangan belum diatur" in text
    assert "NIP." not in text.split("Mengetahui")[-1]
    draft = _draft(users)
    assert "Pejabat penanda tangan belum diatur" in text_of(letter_pdf.render_letter_pdf(draft))


def _approved_write_off(ledger, **kw):
    ledger.receive(100, ranges=[[1, 100]])
    ledger.confirm(ledger.distribute(100, PUJER, ranges=[[1, 100]]))
    m = ledger.damage(2, serial_ranges=[[7, 8]], note="Gagal cetak")
    ledger.decide(m, True, ba="BA/07/2026", **kw)
    return m


def test_berita_acara_names_three_roles_and_keeps_its_signer(users, ledger, kop_and_official):
    m = _approved_write_off(ledger, witnesses="Sri Wahyuni\nJoko Santoso")
    text = text_of(keep("berita-acara", documents.berita_acara(users["kadis"], m.id)[1]))
    assert_signed(text)
    assert "Dicatat oleh" in text and "Disetujui oleh" in text and "Saksi" in text
    assert "Sri Wahyuni" in text and "Joko Santoso" in text
    assert users["camat"].name in text  # the recorder
    _change_settings(users)
    officials.update_official(
        users["admin"], officials.signer_of(DINAS, "berita_acara"), name="X Baru"
    )
    db.session.commit()
    later = text_of(documents.berita_acara(users["kadis"], m.id)[1])
    assert NAME in later and ADDRESS in later and "X Baru" not in later


def test_witness_who_recorded_or_approves_is_refused(users, ledger, kop_and_official):
    ledger.receive(100, ranges=[[1, 100]])
    ledger.confirm(ledger.distribute(100, PUJER, ranges=[[1, 100]]))
    m = ledger.damage(2, serial_ranges=[[7, 8]], note="Gagal cetak")
    for same in (users["camat"].name, users["kadis"].name):
        with pytest.raises(ValidationFailed) as e:
            ledger.decide(m, True, witnesses=[same])
        assert "saksi harus orang lain" in e.value.errors["witnesses"][0]
        db.session.rollback()


def test_official_who_recorded_cannot_sign_the_berita_acara(users, ledger, kop_and_official):
    officials.update_official(users["admin"], kop_and_official, name=users["camat"].name)
    db.session.commit()
    ledger.receive(100, ranges=[[1, 100]])
    ledger.confirm(ledger.distribute(100, PUJER, ranges=[[1, 100]]))
    m = ledger.damage(2, serial_ranges=[[7, 8]], note="Gagal cetak")
    with pytest.raises(ValidationFailed) as e:
        ledger.decide(m, True)
    assert "mencatat mutasi ini" in str(e.value.errors)


def test_opname_sheet_and_request_letter(users, ledger, kop_and_official):
    assert_signed(text_of(keep("opname", documents.opname_sheet(users["kadis"], DINAS)[1])))
    req = ditjen.create_request(users["petugas"], region_code=DINAS, quantity=500)
    db.session.commit()
    assert_signed(
        text_of(keep("permohonan-blanko", documents.request_letter(users["kadis"], req.id)[1]))
    )


def test_certificate(client, login, users, kop_and_official):
    from tests.training.factories import attend, make_operator, make_training

    op = make_operator("35.11.05", "Siti Nurhaliza", nip="198703122010012003", position="Operator")
    training = make_training(("cetak_ktp",), ends_on=date(2026, 3, 10), days=2, title="Bimtek")
    att = attend(training, op, score=88)
    db.session.commit()
    login(users["petugas"])
    text = text_of(keep("sertifikat", client.get(f"/pelatihan/sertifikat/{att.id}.pdf").data))
    assert NAME in text and f"NIP. {NIP}" in text and ADDRESS in text
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso" in text


def test_hearing_packet_cover_has_the_rdp_approval_block(users, kop_and_official):
    from assets_app.hearing import services as hearing

    result = hearing.generate_packet(
        users["petugas"], DINAS, date(2026, 1, 1), date(2026, 6, 30), base_url="https://x.example"
    )
    keep("paket-rdp", result.pdf)
    cover = " ".join((PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text() or "").split())
    assert "Menyetujui," in cover and "Disetujui oleh" not in cover  # made before approval
    assert_signed(cover)


def test_kib_export_header_and_signature(client, login, users, kop_and_official):
    login(users["kadis"])
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/aset/ekspor?region=35.11").data))
    assert wb["KIB B"].cell(4, 3).value.startswith(ADDRESS)
    values = [c.value for row in wb["Pengesahan"].iter_rows() for c in row if c.value]
    assert NAME in values and f"NIP. {NIP}" in values and POSITION in values
    assert any(ADDRESS in str(v) for v in values)

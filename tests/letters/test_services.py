"""Letters: settings, compose, numbering at signature, sending, replies, figures."""

import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
import time_machine

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.extensions import db
from assets_app.letters import pdf as letter_pdf
from assets_app.letters import queries as letter_queries
from assets_app.letters import services
from assets_app.letters import settings as letter_settings
from assets_app.letters.models import Letter
from assets_app.regions.models import Region
from assets_app.tickets.sla import WIB
from tests.factories import make_user
from tests.letters import example

TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def draft(by, region="35.11.05", **kw):
    values = {
        "by": by,
        "region_code": region,
        "direction": "keluar",
        "recipient": "Pimpinan PT Sinar Data",
        "recipient_place": "Jember",
        "perihal": "Permohonan perbaikan server",
        "body": "Dengan hormat,\n\nMohon perbaikan.",
    }
    values.update(kw)
    letter = services.compose_letter(**values)
    db.session.commit()
    return letter


def test_default_settings_come_from_the_region_name(regions):
    serang = services.get_settings("36.73")
    assert serang.pemerintah == "PEMERINTAH KOTA SERANG"
    assert serang.dinas == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    assert serang.city == "Serang"
    assert serang.signer_position == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Serang"
    assert serang.number_pattern == "{klasifikasi}/{nomor}/{unit}/{tahun}"
    assert not serang.saved
    bondowoso = services.get_settings("35.11")
    assert bondowoso.pemerintah == "PEMERINTAH KABUPATEN BONDOWOSO"
    assert bondowoso.city == "Bondowoso"
    assert services.office_name(bondowoso) == (
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"
    )


def _settings(**kw):
    data = {
        f: str(getattr(services.get_settings("35.11"), f)) for f in letter_settings.SETTING_FIELDS
    }
    data.update(kw)
    return data


def test_admin_saves_settings_with_validation(users):
    with pytest.raises(ValidationFailed) as e:
        letter_settings.save_settings(
            "35.11",
            _settings(
                number_pattern="{klasifikasi}/{urut}", signer_nip="123", number_width="9", city=""
            ),
            by=users["admin"],
        )
    errors = e.value.errors
    assert errors["number_pattern"][0].startswith("Penanda tidak dikenal: {urut}")
    assert "Pola wajib memuat {nomor} (nomor urut)." in errors["number_pattern"]
    assert errors["signer_nip"] == ["NIP terdiri atas 18 angka."]
    assert errors["number_width"] == ["Lebar nomor urut 1 sampai 6 angka."]
    assert errors["city"] == ["Wajib diisi."]
    with pytest.raises(Forbidden):
        letter_settings.save_settings("35.11", _settings(), by=users["kadis"])
    with pytest.raises(ValidationFailed):
        letter_settings.save_settings("36.73", _settings(), by=users["admin_kab"])  # out of scope
    letter_settings.save_settings(
        "35.11",
        _settings(
            address="Jl. Letjen Sutoyo No. 1, Bondowoso", signer_nip="1970 0101 1995 03 1 001"
        ),
        by=users["admin_kab"],
    )
    db.session.commit()
    saved = services.get_settings("35.11")
    assert saved.saved and saved.address.startswith("Jl. Letjen")
    assert saved.signer_nip == "197001011995031001"


def test_draft_has_no_number_and_snapshots_the_letterhead(users):
    letter = draft(users["petugas"])
    assert letter.status == "draf" and letter.number is None and letter.seq_no is None
    assert letter.issuer_code == "35.11"
    assert letter.kop["pemerintah"] == "PEMERINTAH KABUPATEN BONDOWOSO"
    assert letter.classification == "000.2.2"
    assert letter.signer_position.startswith("Kepala Dinas Kependudukan")
    assert letter.sender == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"


def test_compose_validation(users):
    with pytest.raises(ValidationFailed) as e:
        services.compose_letter(
            by=users["petugas"],
            region_code="35.11.05",
            direction="keluar",
            recipient="",
            perihal="x" * 301,
            body="",
            classification="abc",
            sifat="kilat",
            number="1/2/3",
            letter_date="2026-12-01",
        )
    errors = e.value.errors
    assert errors["recipient"] == ["Wajib diisi."]
    assert errors["perihal"] == ["Maksimal 300 karakter."]
    assert errors["body"] == ["Wajib diisi."]
    assert errors["classification"] == ["Kode klasifikasi berupa angka bertitik, mis. 000.2.2."]
    assert "Sifat surat" in errors["sifat"][0]
    assert "diberikan otomatis" in errors["number"][0]
    assert errors["letter_date"] == ["Tanggal surat tidak boleh di masa depan."]
    with pytest.raises(Forbidden):
        draft(users["camat"])
    with pytest.raises(NotFound):
        draft(users["petugas"], region="36.73.05")


def test_numbers_are_given_at_signature_in_sequence_per_dinas_and_year(users):
    kadis_serang = make_user("kadis", "36.73", username="kadis.serang")
    a = draft(users["petugas"])
    b = draft(users["petugas"])
    cancelled = draft(users["petugas"])
    services.cancel_letter(cancelled, users["petugas"])
    serang = draft(users["petugas_serang"], region="36.73.05")
    with pytest.raises(Forbidden):
        services.sign_letter(a, users["petugas"])
    services.sign_letter(b, users["kadis"])
    services.sign_letter(a, users["kadis"])
    services.sign_letter(serang, kadis_serang)
    db.session.commit()
    assert b.number == "000.2.2/0001/Disdukcapil/2026"
    assert a.number == "000.2.2/0002/Disdukcapil/2026"
    assert serang.number == "000.2.2/0001/Disdukcapil/2026"  # another Dinas, its own sequence
    assert a.letter_date == date(2026, 11, 23) and a.signed_by_id == users["kadis"].id
    assert a.signer_name == users["kadis"].name  # no default signer set: the kadis who signs
    assert cancelled.number is None
    with pytest.raises(ValidationFailed):
        services.sign_letter(a, users["kadis"])  # only once
    with pytest.raises(ValidationFailed):
        services.update_draft(a, by=users["petugas"], perihal="lain")
    with pytest.raises(NotFound):
        services.sign_letter(serang, users["kadis"])


def test_dated_letters_use_their_year_and_the_pattern(users):
    letter_settings.save_settings(
        "35.11",
        _settings(
            number_pattern="027/{nomor}/{unit}/{bulan_romawi}/{tahun}",
            number_width="3",
            unit_code="Dispenduk",
        ),
        by=users["admin"],
    )
    old = draft(users["petugas"], letter_date="2025-12-30")
    new = draft(users["petugas"], classification="400.12.2.1")
    services.sign_letter(old, users["kadis"])
    services.sign_letter(new, users["kadis"])
    assert old.number == "027/001/Dispenduk/XII/2025"
    assert new.number == "027/001/Dispenduk/XI/2026"
    letter_settings.save_settings(
        "35.11",
        _settings(number_pattern="{klasifikasi}/{nomor}/{unit}/{tahun}", number_width="4"),
        by=users["admin"],
    )
    third = draft(users["petugas"], classification="400.12.2.1")
    services.sign_letter(third, users["kadis"])
    assert third.number == "400.12.2.1/0002/Dispenduk/2026"


def test_send_and_reply(users):
    letter = draft(users["petugas"])
    with pytest.raises(ValidationFailed):
        services.mark_sent(letter, users["petugas"], "2026-11-23", "pos")  # not signed yet
    services.sign_letter(letter, users["kadis"])
    with pytest.raises(ValidationFailed) as e:
        services.mark_sent(letter, users["petugas"], "2026-11-22", "merpati")
    assert e.value.errors["sent_on"] == ["Tanggal kirim tidak boleh sebelum tanggal surat."]
    assert "Pilih cara pengiriman" in e.value.errors["channel"][0]
    with pytest.raises(ValidationFailed) as e:
        services.mark_sent(letter, users["petugas"], "2026-11-24", "pos")
    assert e.value.errors["sent_on"] == ["Tanggal kirim tidak boleh di masa depan."]
    with pytest.raises(ValidationFailed) as e:
        services.mark_sent(letter, users["petugas"], "23-11-2026", "pos")
    assert e.value.errors["sent_on"] == ["Tanggal tidak valid (format YYYY-MM-DD)."]
    services.mark_sent(letter, users["petugas"], "2026-11-23", "srikandi")
    assert letter.status == "terkirim" and letter.awaiting_reply
    with pytest.raises(ValidationFailed) as e:
        services.record_reply(letter, users["petugas"], "2026-11-23", "")
    assert e.value.errors["summary"] == ["Wajib diisi."]
    services.record_reply(letter, users["petugas"], "2026-11-23", "Teknisi dikirim minggu depan.")
    assert letter.status == "dibalas" and not letter.awaiting_reply


def test_incoming_letters_and_replies_by_letter(users):
    with pytest.raises(ValidationFailed) as e:
        services.compose_letter(
            by=users["petugas"],
            region_code="35.11.05",
            direction="masuk",
            recipient="Kepala Dinas",
            perihal="Permohonan",
        )
    assert e.value.errors["number"] == ["Wajib diisi."]
    assert e.value.errors["letter_date"] == ["Wajib diisi."]
    out = draft(users["petugas"])
    services.sign_letter(out, users["kadis"])
    services.mark_sent(out, users["petugas"], "2026-11-23", "email")
    reply = services.compose_letter(
        by=users["petugas"],
        region_code="35.11.05",
        direction="masuk",
        sender="PT Sinar Data",
        recipient="Kepala Dinas",
        number="SD/0099/XI/2026",
        letter_date="2026-11-23",
        perihal="Jawaban permohonan perbaikan",
        in_reply_to=out,
    )
    assert reply.status == "diterima" and reply.sent_on == date(2026, 11, 23)
    assert out.status == "dibalas" and "SD/0099/XI/2026" in out.reply_summary
    summary = letter_queries.correspondence([out, reply])
    assert summary.text == "1 surat keluar, 1 surat masuk, 2 balasan"


def test_correspondence_summary_counts_waiting_days(users):
    letters = []
    for days, number in ((152, "1/A"), (120, "2/A"), (60, "3/A")):
        letters.append(
            services.compose_letter(
                by=users["petugas"],
                region_code="35.11.05",
                direction="masuk",
                sender="Camat Pujer",
                recipient="Kepala Dinas",
                number=number,
                letter_date=(TODAY - timedelta(days=days)).date(),
                perihal="Permohonan perbaikan",
            )
        )
    out = draft(users["petugas"])
    letters.append(out)
    summary = letter_queries.correspondence(letters)
    assert summary.text == "0 surat keluar, 3 surat masuk, 0 balasan, menunggu 152 hari"
    services.sign_letter(out, users["kadis"])
    services.mark_sent(out, users["petugas"], "2026-11-23", "pos")
    assert letter_queries.correspondence(letters).text.startswith("1 surat keluar, 3 surat masuk")


def _figures(sent, received, unanswered, days):
    return {
        example.KEC: {
            "letters_sent": sent,
            "letters_received": received,
            "letters_unanswered": unanswered,
            "max_days_waiting": days,
        }
    }


def test_letter_stats_by_direction_issue_example(users):
    """Three letters from the camat and one from the Dinas to Ditjen, unanswered: the Dinas
    sent 1 letter (not 4), received 3, and 1 is unanswered at the period's end."""
    example.build(users)
    stats = letter_queries.letter_stats(users["petugas_serang"], None, example.START, example.END)
    assert stats == _figures(1, 3, 1, example.DAYS_WAITING)
    # Out of scope: nothing; a period end is a moment, so an empty period still counts the
    # letter sent before it that waits.
    assert letter_queries.letter_stats(users["petugas"], None, example.START, example.END) == {}
    assert letter_queries.letter_stats(
        users["petugas_serang"], "36.73.05", date(2026, 9, 1), date(2026, 9, 30)
    ) == _figures(0, 0, 1, 107)
    with pytest.raises(ValidationFailed):
        letter_queries.letter_stats(users["petugas"], None, date(2026, 2, 1), date(2026, 1, 1))


def test_a_reply_before_the_period_end_answers_the_letter_one_after_does_not(users):
    data = example.build(users)
    # Ditjen's answer arrives (received 12 September): a reply, not a letter received.
    example.incoming(
        users["petugas_serang"],
        "470/2051/Dukcapil/2026",
        date(2026, 9, 10),
        received_on=date(2026, 9, 12),
        in_reply_to=data["ditjen"],
        sender="Ditjen Dukcapil",
    )
    assert data["ditjen"].replied_on == date(2026, 9, 12)
    user = users["petugas_serang"]
    assert letter_queries.letter_stats(user, None, example.START, example.END) == _figures(
        1, 3, 0, 0
    )
    # At 5 September the reply had not come yet: still unanswered, 82 days since 15 June.
    assert letter_queries.letter_stats(user, None, example.START, date(2026, 9, 5)) == _figures(
        1, 3, 1, 82
    )
    # On the day of the reply it is answered.
    assert letter_queries.letter_stats(user, None, example.START, date(2026, 9, 12)) == _figures(
        1, 3, 0, 0
    )


def test_letters_after_the_period_end_are_not_counted(users):
    data = example.build(users)
    user = users["petugas_serang"]
    late = example.outgoing(user, data["kadis"], date(2026, 11, 2), recipient="Diskominfo")
    # Written 30 October but received 2 November: received after the period.
    example.incoming(user, "005/151/Kec.CJ/2026", date(2026, 10, 30), received_on=late.sent_on)
    assert letter_queries.letter_stats(user, None, example.START, example.END) == _figures(
        1, 3, 1, example.DAYS_WAITING
    )
    november = letter_queries.letter_stats(user, None, date(2026, 11, 1), date(2026, 11, 23))
    assert november == _figures(1, 1, 2, 161)  # 15 June → 23 November


def test_signed_pdf_is_stored_with_sha256(app, users):
    import hashlib
    from pathlib import Path

    letter = draft(users["petugas"])
    services.sign_letter(letter, users["kadis"])
    db.session.commit()
    path = Path(app.instance_path) / "letters" / letter.pdf_path
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == letter.pdf_sha256
    assert letter_pdf.letter_pdf_bytes(letter) == data
    assert letter.pdf_path == f"{letter.pdf_sha256[:2]}/{letter.pdf_sha256}.pdf"


def test_region_must_exist(users):
    with pytest.raises(ValidationFailed):
        draft(users["admin"], region="99.99")
    assert db.session.get(Region, "35.11") is not None
    assert db.session.query(Letter).count() == 0


def test_letters_package_does_not_import_tickets():
    code = (
        "import sys, assets_app.letters.services, assets_app.letters.views; "
        "assert not any(m.startswith('assets_app.tickets') for m in sys.modules), "
        "[m for m in sys.modules if m.startswith('assets_app.tickets')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

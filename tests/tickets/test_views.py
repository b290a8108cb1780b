"""Web pages: filing (double submit, errors kept), ticket page, transitions, letters,
notifications, SLA administration, panels; bounded queries."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.assets.models import StatusEvent
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.letters import queries as letter_queries
from assets_app.letters import settings as letter_settings
from assets_app.letters.models import Letter
from assets_app.notify.models import OutboxMessage as Notification
from assets_app.tickets import queries, services, sla_config
from assets_app.tickets.models import (
    Holiday,
    Ticket,
    TicketAttachment,
    TicketEvent,
)
from assets_app.tickets.sla import WIB
from tests.querycount import count_queries
from tests.tickets.helpers import PDF, file_ticket, make_asset, png_bytes, upload, walk


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def form_data(**kw):
    data = {
        "region_code": "35.11.05",
        "category": "perangkat",
        "urgency": "tinggi",
        "impact": "sedang",
        "title": "Kamera perekaman mati",
        "description": "Kamera tidak terdeteksi sejak pagi.",
        "idempotency_key": "kunci-form-1",
    }
    data.update(kw)
    return data


def follow(client, resp):
    """The foundation's isolated test client cannot follow redirects itself."""
    assert resp.status_code in (302, 303), resp.status_code
    return client.get(resp.headers["Location"])


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_form_carries_a_one_time_key_and_fixes_the_camat_kecamatan(client, login, users):
    login(users["camat"])
    html = client.get("/tiket/baru").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"', html)
    assert key, "hidden one-time key"
    html2 = client.get("/tiket/baru").get_data(as_text=True)
    assert key.group(1) not in html2  # a new key per form
    assert '<option selected value="35.11.05">' in html
    assert "35.11.06" not in html


def test_filing_with_a_photo_and_double_submit_makes_one_ticket(client, login, users, no_csrf):
    login(users["camat"])
    data = form_data(attachments=upload("kamera.png", png_bytes()))
    first = client.post("/tiket/baru", data=data, content_type="multipart/form-data")
    assert first.status_code == 302
    ticket = db.session.scalars(sa.select(Ticket)).one()
    assert first.headers["Location"].endswith(f"/tiket/{ticket.id}")
    # The same form again (double click, or resend after a network error).
    again = follow(
        client,
        client.post(
            "/tiket/baru",
            data=form_data(attachments=upload("kamera.png", png_bytes())),
            content_type="multipart/form-data",
        ),
    )
    assert again.status_code == 200
    assert "sudah tersimpan sebelumnya; tidak dibuat dua kali" in again.get_data(as_text=True)
    assert count(Ticket) == 1 and count(TicketAttachment) == 1
    page = client.get(f"/tiket/{ticket.id}").get_data(as_text=True)
    assert "kamera.png" in page and f"/tiket/{ticket.id}/lampiran/" in page
    img = client.get(f"/tiket/{ticket.id}/lampiran/{queries.ticket_attachments(ticket)[0].id}")
    assert img.status_code == 200 and img.mimetype == "image/png"
    assert img.data == png_bytes()


def test_errors_are_shown_and_what_was_typed_is_kept(client, login, users, no_csrf):
    login(users["camat"])
    resp = client.post(
        "/tiket/baru",
        data=form_data(title="", urgency="", attachments=upload("virus.pdf", b"MZ\x90\x00")),
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Wajib diisi." in html and "Urgensi wajib dipilih." in html
    assert "virus.pdf: jenis berkas tidak diterima" in html
    assert "Kamera tidak terdeteksi sejak pagi." in html  # description kept
    assert 'value="kunci-form-1"' in html  # the same key, so a retry is still one ticket
    assert count(Ticket) == 0 and count(TicketAttachment) == 0


def test_ticket_page_shows_sla_timeline_letters_and_correspondence(client, login, users):
    with time_machine.travel(datetime(2026, 6, 24, 8, 15, tzinfo=WIB), tick=False):
        t = file_ticket(users["camat"], asset_id=make_asset("35.11.05").id)

    for number, day in (("1/K", "2026-06-29"), ("2/K", "2026-08-03"), ("3/K", "2026-09-14")):
        services.record_ticket_incoming_letter(
            t,
            by=users["petugas"],
            sender="Camat Pujer",
            recipient="Kepala Dinas",
            number=number,
            letter_date=day,
            perihal="Permohonan perbaikan",
        )
    db.session.commit()
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=WIB), tick=False):
        login(users["camat"])  # the session cookie must not be from the future
        html = client.get(f"/tiket/{t.id}").get_data(as_text=True)
    assert "0 surat keluar, 3 surat masuk, 0 balasan, menunggu 147 hari" in html
    assert "Waktu terima" in html and "terlampaui" in html
    assert "Surat masuk 1/K dari Camat Pujer" in html
    assert "Server perekaman" in html  # the asset
    assert "Buat surat" not in html  # camat does not write letters
    assert letter_queries.correspondence(queries.ticket_letters(t)).awaiting == 3


def test_transition_by_form_and_refusal_keeps_the_note(client, login, users, no_csrf):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "dikerjakan")
    login(users["petugas"])
    resp = client.post(
        f"/tiket/{t.id}/status",
        data={"tr-to": "menunggu_pihak_ketiga", "tr-note": "", "tr-responsible_party": "vendor"},
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Catatan wajib diisi: Apa yang ditunggu dari pihak ketiga?" in html
    resp = follow(
        client,
        client.post(
            f"/tiket/{t.id}/status",
            data={
                "tr-to": "menunggu_pihak_ketiga",
                "tr-note": "Garansi vendor.",
                "tr-responsible_party": "vendor",
            },
        ),
    )
    assert "sekarang berstatus Menunggu pihak ketiga" in resp.get_data(as_text=True)
    assert db.session.get(Ticket, t.id).responsible_party == "vendor"
    bad = client.post(f"/tiket/{t.id}/status", data={"tr-to": "ditutup", "tr-note": "x"})
    assert bad.status_code == 422
    assert "tidak dapat diubah menjadi Ditutup" in bad.get_data(as_text=True)


def _select(html: str, name: str, nth: int = 0) -> str:
    return re.findall(rf'<select[^>]*name="{name}".*?</select>', html, re.S)[nth]


def _selected(select_html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select_html)


def test_waiting_for_a_third_party_blames_nobody_silently(client, login, users, no_csrf):
    """Issue 12: "Pihak yang ditunggu" starts blank; sending it blank is refused with a field
    error, nothing is written (ticket, its events, the asset's status) and the note is kept."""
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id)
    walk(t, users["petugas"], None, "dikerjakan")
    events, status_events = count(TicketEvent), count(StatusEvent)
    login(users["petugas"])
    html = client.get(f"/tiket/{t.id}").get_data(as_text=True)
    select = _select(html, "tr-responsible_party")
    assert _selected(select) == [""]
    assert '<option value="" selected>— pilih pihak —</option>' in select
    assert 'value="disdukcapil"' not in select
    resp = client.post(
        f"/tiket/{t.id}/status",
        data={"tr-to": "menunggu_pihak_ketiga", "tr-note": "Menunggu teknisi."},
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Pihak yang ditunggu wajib dipilih" in html
    assert "Menunggu teknisi.</textarea>" in html
    assert _selected(_select(html, "tr-responsible_party")) == [""]
    db.session.expire_all()
    ticket = db.session.get(Ticket, t.id)
    assert (ticket.status, ticket.responsible_party) == ("dikerjakan", "disdukcapil")
    assert (count(TicketEvent), count(StatusEvent)) == (events, status_events)
    # The officer's choice is kept on a refusal for another reason.
    resp = client.post(
        f"/tiket/{t.id}/status",
        data={"tr-to": "menunggu_pihak_ketiga", "tr-note": "", "tr-responsible_party": "pln"},
    )
    assert resp.status_code == 422
    assert _selected(_select(resp.get_data(as_text=True), "tr-responsible_party")) == ["pln"]


def test_a_recorded_third_party_is_kept_in_plain_sight(client, login, users, no_csrf):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "dikerjakan")
    services.assign(t, by=users["petugas"], responsible_party="vendor")
    db.session.commit()
    events = count(TicketEvent)
    login(users["petugas"])
    html = client.get(f"/tiket/{t.id}").get_data(as_text=True)
    select = _select(html, "tr-responsible_party")
    assert '<option value="" selected>— tetap: Vendor/penyedia —</option>' in select
    assert _selected(select) == [""]
    resp = client.post(
        f"/tiket/{t.id}/status",
        data={"tr-to": "menunggu_pihak_ketiga", "tr-note": "Klaim garansi."},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    ticket = db.session.get(Ticket, t.id)
    assert (ticket.status, ticket.responsible_party) == ("menunggu_pihak_ketiga", "vendor")
    kinds = db.session.scalars(
        sa.select(TicketEvent.kind).where(TicketEvent.ticket_id == t.id).order_by(TicketEvent.id)
    ).all()
    assert count(TicketEvent) == events + 1 and kinds[-1] == "transition"  # no party event


def test_assign_form_party_starts_blank_and_says_what_it_keeps(client, login, users):
    t = file_ticket(users["camat"])
    login(users["petugas"])
    html = client.get(f"/tiket/{t.id}").get_data(as_text=True)
    select = _select(html, "assign-responsible_party")
    first = re.search(r"<option[^>]*>([^<]*)</option>", select)
    assert 'value=""' in first.group(0) and first.group(1) == "— tetap: Disdukcapil —"
    assert _selected(select) in ([], [""])  # nothing chosen for the user


def test_compose_sign_send_a_letter_from_the_ticket(client, login, users, no_csrf):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        t = file_ticket(users["camat"])
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        login(users["petugas"])
        form = client.get(f"/tiket/{t.id}/surat/baru?party=ditjen_dukcapil").get_data(as_text=True)
        assert "Direktur Jenderal Kependudukan dan Pencatatan Sipil" in form
        assert "- Lama menunggu: 21 hari" in form
        refill = client.post(
            f"/tiket/{t.id}/surat/baru", data={"party": "pln", "isi-ulang": "1"}
        ).get_data(as_text=True)
        assert "Manajer PT PLN (Persero)" in refill
        resp = client.post(
            f"/tiket/{t.id}/surat/baru",
            data={
                "recipient": "Pimpinan PT Sinar Data",
                "recipient_place": "Jember",
                "perihal": "Permohonan perbaikan kamera",
                "classification": "000.2.2",
                "sifat": "segera",
                "lampiran": "1 (satu) berkas",
                "body": "Dengan hormat,\n\nMohon perbaikan.",
                "tembusan": "Camat Pujer",
            },
        )
        assert resp.status_code == 302
        letter = db.session.scalars(sa.select(Letter)).one()
        assert resp.headers["Location"].endswith(f"/surat/{letter.id}")
        kadis_notes = db.session.scalars(
            sa.select(Notification.subject).where(Notification.user_id == users["kadis"].id)
        ).all()
        assert "Draf surat menunggu tanda tangan: Permohonan perbaikan kamera" in kadis_notes
        assert client.post(f"/surat/{letter.id}/tandatangani").status_code == 403
        login(users["kadis"])
        signed = follow(client, client.post(f"/surat/{letter.id}/tandatangani"))
        assert (
            "Surat ditandatangani dengan nomor 000.2.2/0001/Disdukcapil/2026."
            in signed.get_data(as_text=True)
        )
        pdf = client.get(f"/surat/{letter.id}/pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(b"%PDF")
        sent = client.post(
            f"/surat/{letter.id}/kirim", data={"s-sent_on": "2026-11-24", "s-channel": "pos"}
        )
        assert sent.status_code == 422
        assert "Tanggal kirim tidak boleh di masa depan." in sent.get_data(as_text=True)
        client.post(
            f"/surat/{letter.id}/kirim", data={"s-sent_on": "2026-11-23", "s-channel": "pos"}
        )
        page = client.get(f"/tiket/{t.id}").get_data(as_text=True)
        assert "1 surat keluar, 0 balasan, menunggu 0 hari" in page


def test_incoming_letter_form(client, login, users, no_csrf):
    t = file_ticket(users["camat"])
    login(users["petugas"])
    html = client.get(f"/tiket/{t.id}/surat/masuk").get_data(as_text=True)
    assert 'value="Camat Pujer"' in html
    bad = client.post(f"/tiket/{t.id}/surat/masuk", data={"sender": "Camat Pujer", "perihal": "x"})
    assert bad.status_code == 422
    assert "Wajib diisi." in bad.get_data(as_text=True)
    ok = client.post(
        f"/tiket/{t.id}/surat/masuk",
        data={
            "sender": "Camat Pujer",
            "recipient": "Kepala Dinas",
            "number": "045/7/2026",
            "letter_date": today_wib().isoformat(),
            "perihal": "Permohonan perbaikan",
        },
    )
    assert ok.status_code == 302
    assert db.session.scalars(sa.select(Letter.number)).one() == "045/7/2026"


def test_notifications_badge_open_and_read_all(client, login, users, no_csrf):
    t = file_ticket(users["camat"])
    file_ticket(users["camat"], title="kedua")
    login(users["petugas"])
    with count_queries(db.engine) as statements:
        html = client.get("/beranda").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">2<', html)
    # the menu's count is a column of the inbox's one statement, not a query of its own
    reading_outbox = [s for s in statements if "notify_outbox" in s]
    assert len(reading_outbox) == 1 and "FROM tickets" in reading_outbox[0]
    n = db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == users["petugas"].id, Notification.related_id == t.id
        )
    ).one()
    resp = client.post(f"/notifikasi/{n.id}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/tiket/{t.id}")
    assert re.search(
        r'data-testid="unread-count">1<', client.get("/notifikasi").get_data(as_text=True)
    )
    # Someone else's notification is not found.
    other = db.session.scalars(
        sa.select(Notification.id).where(Notification.user_id == users["kadis"].id)
    ).first()
    assert client.post(f"/notifikasi/{other}").status_code == 404
    client.post("/notifikasi/baca-semua")
    assert 'data-testid="unread-count"' not in client.get("/notifikasi").get_data(as_text=True)


def test_sla_admin_page(client, login, users, no_csrf):
    login(users["admin"])
    html = client.get("/admin/sla").get_data(as_text=True)
    assert 'value="07:30"' in html and 'name="accept_kritis"' in html
    data = {
        "mode": "kerja",
        "day_start": "08:00",
        "day_end": "16:30",
        "workdays": ["0", "1", "2", "3", "4", "5"],
        "accept_kritis": "2",
        "resolve_kritis": "1",
        "accept_tinggi": "8",
        "resolve_tinggi": "5",
        "accept_sedang": "16",
        "resolve_sedang": "10",
        "accept_rendah": "abc",
        "resolve_rendah": "20",
    }
    bad = client.post("/admin/sla", data=data)
    assert bad.status_code == 422
    assert "Target terima 1–720 jam." in bad.get_data(as_text=True)
    assert 'value="abc"' in bad.get_data(as_text=True)
    ok = client.post("/admin/sla", data={**data, "accept_rendah": "24"})
    assert ok.status_code == 302
    config = sla_config.load_sla_config()
    assert config.targets["kritis"] == (2, 1)
    assert 5 in config.calendar.workdays
    assert client.post("/admin/sla/libur", data={"h-day": "", "h-name": ""}).status_code == 422
    client.post("/admin/sla/libur", data={"h-day": "2026-12-25", "h-name": "Natal"})
    holiday = db.session.scalars(sa.select(Holiday)).one()
    assert client.post(f"/admin/sla/libur/{holiday.id}/hapus").status_code == 302
    assert count(Holiday) == 0


def test_lists_and_pages_run_a_bounded_number_of_queries(client, login, users, db):
    def measure(path):
        with count_queries(db.engine) as q:
            assert client.get(path).status_code == 200
        return len(q)

    login(users["petugas"])
    first = file_ticket(users["camat"])
    walk(first, users["petugas"], None, "dikerjakan")
    services.compose_ticket_letter(
        first, by=users["petugas"], **services.letter_draft_defaults(first)
    )
    db.session.commit()
    paths = [
        "/tiket/",
        "/tiket/terlambat",
        "/tiket/per-pihak",
        "/tiket/per-kecamatan",
        "/beranda",
        "/wilayah/35.11.05",
        "/surat/",
        "/notifikasi",
        f"/tiket/{first.id}",
    ]
    small = {p: measure(p) for p in paths}
    for i in range(12):
        t = file_ticket(users["camat"], title=f"tiket {i}", commit=False)
        services.add_comment(t, by=users["petugas"], note="cek")
        services.add_comment(first, by=users["petugas"], note=f"komentar {i}")
        services.compose_ticket_letter(
            first, by=users["petugas"], **services.letter_draft_defaults(first)
        )
    db.session.commit()
    large = {p: measure(p) for p in paths}
    assert large == small
    # The home page carries the DPRD dashboard and the kecamatan page every domain's panel
    # (each bounded); the ticket pages stay small.
    assert max(v for p, v in large.items() if p not in ("/beranda", "/wilayah/35.11.05")) <= 20
    assert large["/wilayah/35.11.05"] <= 25
    assert large["/beranda"] <= 45


def test_kecamatan_panel_and_home(client, login, users):
    with time_machine.travel(datetime.now(WIB) - timedelta(days=3), tick=False):
        t = file_ticket(users["camat"])
    login(users["camat"])
    region = client.get("/wilayah/35.11.05").get_data(as_text=True)
    assert "Tiket perbaikan" in region and t.number in region and "1 terlambat" in region
    home = client.get("/beranda").get_data(as_text=True)
    assert "belum selesai" in home and "Laporkan masalah" in home
    login(users["dprd"])
    assert "Laporkan masalah" not in client.get("/beranda").get_data(as_text=True)


def test_list_filters_and_sorting(client, login, users):
    file_ticket(users["camat"], title="Listrik padam", category="listrik")
    file_ticket(
        users["petugas"], region_code="35.11.06", title="Jaringan putus", category="jaringan"
    )
    login(users["petugas"])
    assert "Listrik padam" not in client.get("/tiket/?category=jaringan").get_data(as_text=True)
    html = client.get("/tiket/?region=35.11.05&sort=-priority").get_data(as_text=True)
    assert "Listrik padam" in html and "Jaringan putus" not in html
    mine = client.get("/tiket/saya").get_data(as_text=True)
    assert "Jaringan putus" in mine and "Listrik padam" not in mine
    party = client.get("/tiket/per-pihak").get_data(as_text=True)
    assert "Disdukcapil" in party
    assert client.get("/tiket/?page=99").status_code == 200


def test_letter_settings_page(client, login, users, no_csrf):
    login(users["admin_kab"])
    html = client.get("/admin/pengaturan-surat").get_data(as_text=True)
    assert 'value="PEMERINTAH KABUPATEN BONDOWOSO"' in html
    assert "000.2.2/0012/Disdukcapil/" in html  # example number
    from assets_app.letters import services as letters

    data = {
        f: str(getattr(letters.get_settings("35.11"), f)) for f in letter_settings.SETTING_FIELDS
    }
    bad = client.post("/admin/pengaturan-surat", data={**data, "number_pattern": "{klasifikasi}"})
    assert bad.status_code == 422
    assert "Pola wajib memuat {nomor} (nomor urut)." in bad.get_data(as_text=True)
    ok = client.post(
        "/admin/pengaturan-surat",
        data={**data, "address": "Jl. Letjen Sutoyo No. 1", "region": "35.11"},
    )
    assert ok.status_code == 302
    assert letters.get_settings("35.11").address == "Jl. Letjen Sutoyo No. 1"


def test_attachment_of_a_pdf_downloads(client, login, users):
    t = file_ticket(users["camat"], attachments=[("surat.pdf", PDF)])
    login(users["dprd"])
    att = queries.ticket_attachments(t)[0]
    resp = client.get(f"/tiket/{t.id}/lampiran/{att.id}?unduh=1")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert client.get(f"/tiket/{t.id}/lampiran/999").status_code == 404

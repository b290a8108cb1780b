import pytest

from assets_app.extensions import db
from tests.access import Case, check, expect, params
from tests.tickets.helpers import file_ticket, png_bytes

FILERS = expect(dprd=403)
HANDLERS = expect(camat=403, dprd=403)
ADMIN_ONLY = expect(kadis=403, petugas=403, camat=403, dprd=403)


def _setup(ctx):
    """A ticket (with a photo) in Pujer, inside every scoped user's region, and one in Serang."""
    users = ctx["users"]
    ctx["ticket"] = file_ticket(users["camat"], attachments=[("foto.png", png_bytes())])
    ctx["out"] = file_ticket(
        users["petugas_serang"], region_code="36.73.05", attachments=[("foto.png", png_bytes())]
    )
    from assets_app.tickets.queries import ticket_attachments

    ctx["att"] = ticket_attachments(ctx["ticket"])[0].id
    ctx["out_att"] = ticket_attachments(ctx["out"])[0].id
    db.session.commit()


def t(suffix=""):
    return lambda ctx: f"/tiket/{ctx['ticket'].id}{suffix}"


def o(suffix=""):
    return lambda ctx: f"/tiket/{ctx['out'].id}{suffix}"


CASES = [
    Case("tickets.index", "/tiket/", expect()),
    Case("tickets.mine", "/tiket/saya", expect()),
    Case("tickets.overdue", "/tiket/terlambat", expect()),
    Case("tickets.by_party", "/tiket/per-pihak", expect()),
    Case("tickets.by_region", "/tiket/per-kecamatan", expect()),
    Case("tickets.new", "/tiket/baru", FILERS),
    Case("tickets.detail", t(), expect(), out_path=o(), setup=_setup),
    Case(
        "tickets.by_number",
        lambda ctx: f"/tiket/nomor/{ctx['ticket'].number}",
        expect(admin=302, kadis=302, petugas=302, camat=302, dprd=302),
        out_path=lambda ctx: f"/tiket/nomor/{ctx['out'].number}",
        setup=_setup,
    ),
    Case(
        "tickets.transition",
        t("/status"),
        # A camat may not accept: the page comes back with the reason (422).
        expect(camat=422, dprd=403, admin=302, kadis=302, petugas=302),
        method="POST",
        data={"tr-to": "diterima"},
        out_path=o("/status"),
        setup=_setup,
    ),
    Case(
        "tickets.comment",
        t("/komentar"),
        expect(admin=302, kadis=302, petugas=302, camat=302, dprd=403),
        method="POST",
        data={"c-note": "Masih mati."},
        out_path=o("/komentar"),
        setup=_setup,
    ),
    Case(
        "tickets.assign",
        t("/penugasan"),
        expect(admin=302, kadis=302, petugas=302, camat=403, dprd=403),
        method="POST",
        data={"assign-responsible_party": "vendor"},
        out_path=o("/penugasan"),
        setup=_setup,
    ),
    Case(
        "tickets.attachment",
        lambda ctx: f"/tiket/{ctx['ticket'].id}/lampiran/{ctx['att']}",
        expect(),
        out_path=lambda ctx: f"/tiket/{ctx['out'].id}/lampiran/{ctx['out_att']}",
        setup=_setup,
    ),
    Case("tickets.letter_new", t("/surat/baru"), HANDLERS, out_path=o("/surat/baru"), setup=_setup),
    Case(
        "tickets.letter_incoming",
        t("/surat/masuk"),
        HANDLERS,
        out_path=o("/surat/masuk"),
        setup=_setup,
    ),
    Case("tickets.notifications_list", "/notifikasi", expect()),
    Case(
        "tickets.notification_open",
        "/notifikasi/999999",
        expect(admin=404, kadis=404, petugas=404, camat=404, dprd=404),
        method="POST",
    ),
    Case(
        "tickets.notifications_read_all",
        "/notifikasi/baca-semua",
        expect(admin=302, kadis=302, petugas=302, camat=302, dprd=302),
        method="POST",
    ),
    Case("tickets.sla_settings", "/admin/sla", ADMIN_ONLY),
    Case(
        "tickets.holiday_add",
        "/admin/sla/libur",
        expect(admin=302, kadis=403, petugas=403, camat=403, dprd=403),
        method="POST",
        data={"h-day": "2026-12-25", "h-name": "Natal"},
    ),
    Case(
        "tickets.holiday_delete",
        "/admin/sla/libur/999999/hapus",
        expect(admin=404, kadis=403, petugas=403, camat=403, dprd=403),
        method="POST",
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)


def test_other_kecamatan_camat_gets_404_everywhere(app, client, login, users):
    ctx = {"users": users}
    _setup(ctx)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        login(users["camat2"])
        tid = ctx["ticket"].id
        assert client.get(f"/tiket/{tid}").status_code == 404
        assert client.get(f"/tiket/{tid}/lampiran/{ctx['att']}").status_code == 404
        assert client.post(f"/tiket/{tid}/komentar", data={"c-note": "x"}).status_code == 404
        assert client.post(f"/tiket/{tid}/status", data={"tr-to": "ditutup"}).status_code == 404
        listing = client.get("/tiket/?status=").get_data(as_text=True)
        assert ctx["ticket"].number not in listing
    finally:
        app.config["WTF_CSRF_ENABLED"] = True

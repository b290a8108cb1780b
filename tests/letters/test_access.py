import pytest

from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.letters import services
from tests.access import Case, check, expect, params
from tests.factories import make_user

WRITERS = expect(camat=403, dprd=403)


def _letter(by, region, kadis=None, sent=False):
    letter = services.compose_letter(
        by=by,
        region_code=region,
        direction="keluar",
        recipient="Pimpinan PT Sinar Data",
        perihal="Permohonan perbaikan",
        body="Dengan hormat,\n\nMohon perbaikan.",
    )
    if kadis is not None:
        services.sign_letter(letter, kadis)
    if sent:
        services.mark_sent(letter, by, today_wib(), "pos")
    return letter


def _setup(state):
    def setup(ctx):
        users = ctx["users"]
        kadis_serang = make_user("kadis", "36.73", username="kadis.serang")
        signer = {"draf": (None, None), "signed": (users["kadis"], kadis_serang)}
        signer["sent"] = signer["signed"]
        mine, theirs = signer[state]
        ctx["letter"] = _letter(users["petugas"], "35.11.05", mine, state == "sent")
        ctx["out"] = _letter(users["petugas_serang"], "36.73.05", theirs, state == "sent")
        db.session.commit()

    return setup


def lt(suffix=""):
    return lambda ctx: f"/surat/{ctx['letter'].id}{suffix}"


def out(suffix=""):
    return lambda ctx: f"/surat/{ctx['out'].id}{suffix}"


TODAY = lambda ctx: today_wib().isoformat()  # noqa: E731

CASES = [
    Case("letters.index", "/surat/", expect()),
    Case("letters.detail", lt(), expect(), out_path=out(), setup=_setup("draf")),
    Case("letters.pdf", lt("/pdf"), expect(), out_path=out("/pdf"), setup=_setup("signed")),
    Case("letters.edit", lt("/ubah"), WRITERS, out_path=out("/ubah"), setup=_setup("draf")),
    Case(
        "letters.sign",
        lt("/tandatangani"),
        # Only the head of the Dinas signs.
        expect(admin=403, kadis=302, petugas=403, camat=403, dprd=403),
        method="POST",
        out_path=out("/tandatangani"),
        setup=_setup("draf"),
    ),
    Case(
        "letters.send",
        lt("/kirim"),
        expect(admin=302, kadis=302, petugas=302, camat=403, dprd=403),
        method="POST",
        data=lambda ctx: {"s-sent_on": TODAY(ctx), "s-channel": "srikandi"},
        out_path=out("/kirim"),
        setup=_setup("signed"),
    ),
    Case(
        "letters.reply",
        lt("/balasan"),
        expect(admin=302, kadis=302, petugas=302, camat=403, dprd=403),
        method="POST",
        data=lambda ctx: {"r-replied_on": TODAY(ctx), "r-summary": "Teknisi datang besok."},
        out_path=out("/balasan"),
        setup=_setup("sent"),
    ),
    Case(
        "letters.cancel",
        lt("/batal"),
        expect(admin=302, kadis=302, petugas=302, camat=403, dprd=403),
        method="POST",
        out_path=out("/batal"),
        setup=_setup("draf"),
    ),
    Case(
        "letters.settings",
        "/admin/pengaturan-surat",
        expect(kadis=403, petugas=403, camat=403, dprd=403),
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)

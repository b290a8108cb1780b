"""Contact details: WhatsApp numbers normalised to +62…, e-mail checked; the profile page and
`flask users create --email --phone`; preferences per kind and the admin's role defaults."""

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from assets_app.auth.models import User
from assets_app.common.validate import Invalid
from assets_app.notify import services
from assets_app.notify.contact import parse_email, parse_phone
from assets_app.notify.models import ChannelPreference


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("(0812) 3456 789", "+628123456789"),
        ("", None),
    ],
)
def test_phone_accepts_08_62_and_plus62(raw, stored):
    assert parse_phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "+6512345678", "0212345678", "08123abc890", "0812345"])
def test_phone_refuses_what_is_not_an_indonesian_mobile(raw):
    with pytest.raises(Invalid, match="WhatsApp"):
        parse_phone(raw)


def test_email_is_lowercased_and_checked():
    assert parse_email(" Kadis@Dukcapil.Go.Id ") == "kadis@dukcapil.go.id"
    with pytest.raises(Invalid, match="e-mail"):
        parse_email("kadis@dukcapil")


def _grid(**kinds):
    return [(f"ch_{k}", c) for k, chans in kinds.items() for c in chans]


def _form(pairs):
    return MultiDict(pairs)


def test_profile_saves_contact_and_preferences(client, login, users, db, no_csrf):
    login(users["camat"])
    page = client.get("/akun/profil").get_data(as_text=True)
    assert "Profil dan notifikasi" in page and "Laporan harian belum masuk" in page
    data = [("email", "Camat@Kec.Example.Id"), ("phone", "0812 3456 7890")]
    data += _grid(laporan_harian=["whatsapp"], eskalasi=["email", "whatsapp"])
    resp = client.post("/akun/profil", data=_form(data))
    assert resp.status_code == 302
    user = db.session.get(User, users["camat"].id)
    assert (user.email, user.phone) == ("camat@kec.example.id", "+6281234567890")
    prefs = services.preferences(user)
    assert prefs["laporan_harian"] == {"whatsapp"}
    assert prefs["eskalasi"] == {"email", "whatsapp"}
    assert prefs["blanko_menipis"] == frozenset()  # unticked on the form: in-app only


def test_profile_bad_phone_keeps_input_and_writes_nothing(client, login, users, db, no_csrf):
    login(users["petugas"])
    resp = client.post(
        "/akun/profil",
        data=_form([("email", "petugas@example.id"), ("phone", "12ab"), ("ch_uji", "email")]),
    )
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Nomor WhatsApp tidak valid" in html and 'value="12ab"' in html
    user = db.session.get(User, users["petugas"].id)
    assert user.email is None and user.phone is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChannelPreference)) == 0


def test_role_defaults_apply_until_the_user_chooses(client, login, users, db, no_csrf):
    login(users["admin"])
    resp = client.post(
        "/admin/notifikasi/peran?peran=kadis", data=_form(_grid(ringkasan=["email"]))
    )
    assert resp.status_code == 302
    kadis = db.session.get(User, users["kadis"].id)
    assert services.preferences(kadis)["ringkasan"] == {"email"}
    assert services.preferences(kadis)["eskalasi"] == frozenset()  # unticked on the grid
    petugas = db.session.get(User, users["petugas"].id)
    assert services.preferences(petugas)["eskalasi"] == {"email", "whatsapp"}  # built-in
    services.set_preferences(kadis, {"ringkasan": ["whatsapp"]})
    db.session.commit()
    assert services.preferences(kadis)["ringkasan"] == {"whatsapp"}
    assert "Bawaan notifikasi per peran" in client.get("/admin/notifikasi/peran").get_data(
        as_text=True
    )


def test_users_create_with_email_and_phone(runner, regions, db):
    args = ["users", "create", "camat.baru", "--role", "camat", "--region", "35.11.05"]
    result = runner.invoke(
        args=[*args, "--email", "camat@example.id", "--phone", "6285712345678", "--password-stdin"],
        input="sandi-yang-panjang\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "camat.baru"))
    assert (user.email, user.phone) == ("camat@example.id", "+6285712345678")


def test_users_create_bad_phone_fails_and_creates_nobody(runner, regions, db):
    result = runner.invoke(
        args=["users", "create", "camat.salah", "--role", "camat", "--region", "35.11.05",
              "--phone", "999", "--password-stdin"],
        input="sandi-yang-panjang\n",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "phone: Nomor WhatsApp tidak valid" in result.output
    assert db.session.scalar(sa.select(User.id).where(User.username == "camat.salah")) is None

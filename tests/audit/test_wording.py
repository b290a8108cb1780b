"""The audit log reads as the pages do: field labels, vocabulary labels, Rupiah, dates and WIB
times, "—" for nothing; never column names, "None" or UTC ISO strings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine

from assets_app.extensions import db
from tests.tickets.helpers import make_asset


def _changes(html: str) -> str:
    cells = re.findall(r'data-testid="audit-changes">(.*?)</td>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", c) for c in cells)


def test_update_shows_labels_and_values_as_users_see_them(users, client, login):
    with time_machine.travel(datetime(2026, 11, 25, 3, 0, tzinfo=UTC), tick=False):
        asset = make_asset(custodian=None, bast_date=None)
        db.session.refresh(asset)  # as a request loads it before changing it
        asset.unit_price = 50_000_000
        asset.status = "gangguan"
        asset.status_since = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
        asset.custodian = "Budi"
        asset.bast_date = date(2026, 11, 2)
        db.session.commit()
    login(users["kadis"])
    html = client.get("/admin/audit/?entity=assets").get_data(as_text=True)
    text = re.sub(r"\s+", " ", _changes(html))
    assert "Harga satuan: Rp 45.000.000 → Rp 50.000.000" in text
    assert "Status: Operasional → Gangguan" in text
    assert "Status sejak: 25 November 2026 10.00 WIB → 25 November 2026 14.30 WIB" in text
    assert "Pemegang: — → Budi" in text
    assert "Tanggal BAST: — → 2 November 2026" in text
    assert "unit_price" not in text and "None" not in text and "+00:00" not in text
    assert ">Aset #" in html and '<option value="assets" selected>Aset</option>' in html


def test_insert_and_secrets_are_worded(users, client, login):
    from tests.factories import make_user

    make_user("camat", "35.11.06", username="camat.baru", name="Camat Baru")
    login(users["admin"])
    html = client.get("/admin/audit/?entity=users").get_data(as_text=True)
    text = re.sub(r"\s+", " ", _changes(html))
    assert "Peran: Camat / Operator Kecamatan" in text
    assert "Kata sandi: (dirahasiakan)" in text
    assert "Nama pengguna: camat.baru" in text and "password_hash" not in text

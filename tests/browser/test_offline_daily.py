"""Issue 15 acceptance at 390×844: the camat fills the daily report with the network off
(`context.set_offline(True)`), sees it queued, goes back online, and exactly one report, one
usage row and one blanko movement exist; replaying the same submission twice more changes
nothing. The same for a ticket filed offline. Real CSRF, the real service worker (Workbox)."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from assets_app.extensions import db
from assets_app.tickets.models import Ticket
from tests.browser.test_camat_path import fits, login
from tests.field.helpers import counts, kecamatan

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def queued(page: Page, state: str):
    return page.get_by_test_id("queue-list").locator(f'[data-queue-state="{state}"]')


def stored_key(page: Page, queue: str) -> str:
    return page.evaluate(
        "q => window.offlineQueue.all().then(items => items.filter(i => i.queue === q)[0].key)",
        queue,
    )


def delivered(page: Page) -> None:
    """Waits for the one queued item to be sent; if it was not, fails with what the server
    answered (a 422 names the field, e.g. `devices.1.asset_id`)."""
    try:
        expect(queued(page, "terkirim")).to_have_count(1, timeout=60_000)
    except AssertionError as e:
        stored = page.evaluate(
            "() => window.offlineQueue.all().then(i => i.map(x => [x.state, x.info, x.errors]))"
        )
        raise AssertionError(f"not delivered; queue: {stored}") from e


def tickets() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))


@pytest.mark.slow
def test_daily_report_and_ticket_filed_offline_arrive_exactly_once(page: Page, base_url, users):
    page.set_viewport_size({"width": 390, "height": 844})
    camera, _ = kecamatan(users, stock=50)
    login(page, base_url, "camat.pujer")
    page.goto(f"{base_url}/lapor-harian")
    expect(page.get_by_role("heading", name="Laporan harian")).to_be_visible()
    page.wait_for_function(
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
    )

    # Offline: the page still opens (the service worker's copy), the report is queued.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Laporan harian")).to_be_visible()
    page.get_by_label("Status Kamera Perekaman").select_option("gangguan")
    page.get_by_label("Sebab Kamera Perekaman").select_option("jaringan")
    party = page.get_by_label("Penanggung jawab Kamera Perekaman")
    expect(party).to_have_value("")  # newly down: nobody blamed until the camat says so
    party.select_option("diskominfo")
    for label, value in (
        ("Perekaman KTP-el", "42"), ("Cetak KTP-el", "30"), ("Cetak KK", "12"),
        ("Warga ditolak / disuruh kembali", "9"), ("Suket diterbitkan", "4"),
        ("Kuota hari ini", "60"), ("Blanko terpakai", "30"), ("Blanko rusak", "0"),
    ):  # fmt: skip
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_test_id("daily-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text(
        "Tersimpan di perangkat — akan dikirim saat jaringan kembali"
    )
    expect(queued(page, "menunggu")).to_have_count(1)
    fits(page)
    shot(page, "daily-offline-queued")
    db.session.rollback()
    assert counts()["reports"] == 0

    # Online again: it is sent once, and the list says so.
    page.context.set_offline(False)
    delivered(page)  # replayed on "online" or within 10 s
    shot(page, "daily-delivered")
    db.session.rollback()
    after = counts()
    assert after == {"reports": 1, "usage": 1, "events": 1, "pemakaian": 1, "rusak": 0}
    key = stored_key(page, "laporan-harian")
    for _ in range(2):  # the same submission replayed: answered, nothing written
        assert page.evaluate("k => window.offlineQueue.replay(k)", key) == 200
    db.session.rollback()
    assert counts() == after

    # A ticket filed offline.
    page.goto(f"{base_url}/tiket/baru")
    expect(page.get_by_role("heading", name="Laporkan masalah sarana prasarana")).to_be_visible()
    page.context.set_offline(True)
    page.get_by_label("Kategori").select_option("jaringan")
    page.get_by_label("Urgensi").select_option("tinggi")
    page.get_by_label("Dampak").select_option("tinggi")
    page.get_by_label("Judul singkat").fill("Jaringan SIAK putus")
    page.get_by_label("Uraian masalah").fill("Sejak pagi VPN tidak tersambung.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("Tersimpan di perangkat")
    expect(queued(page, "menunggu")).to_have_count(1)
    shot(page, "ticket-offline-queued")
    assert tickets() == 0
    page.context.set_offline(False)
    delivered(page)  # replayed on "online" or within 10 s
    expect(queued(page, "terkirim").get_by_role("link", name=re.compile("buka"))).to_be_visible()
    shot(page, "ticket-delivered")
    assert tickets() == 1
    key = stored_key(page, "tiket")
    for _ in range(2):
        assert page.evaluate("k => window.offlineQueue.replay(k)", key) == 200
    assert tickets() == 1

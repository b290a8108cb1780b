"""Issue 14 acceptance, the camat's main path at 390×844 (phone) and 1366×900: from a
device's page file a ticket about it through the asset picker with "pindahkan status aset ke
gangguan", see the device down with the ticket linked, then confirm a blanko receipt. Every
step asserts visible text, and no page may be wider than the viewport."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.blanko.conftest import PUJER, Ledger
from tests.factories import PASSWORD
from tests.tickets.helpers import make_asset

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def fits(page: Page) -> None:
    """The page is not wider than the viewport (no sideways scrolling), measured once its
    stylesheets have loaded (a layout read before them sees unstyled, full-width charts)."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px wide in a {width} px viewport"


def login(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(re.compile("Selamat datang"))).to_be_visible()
    fits(page)


@pytest.mark.slow
@pytest.mark.parametrize("size", sorted(SIZES))
def test_camat_files_a_ticket_about_a_device_and_confirms_a_receipt(
    page: Page, base_url, users, size
):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    scanner = make_asset(PUJER, name="Alat Sidik Jari", brand_model="Secugen Hamster Pro")
    make_asset(PUJER, name="Kamera Perekaman", brand_model="Canon EOS")
    ledger = Ledger(users)
    ledger.receive(1000)
    sent = ledger.distribute(100, PUJER, reference="SJ/PUJER/100")

    login(page, base_url, "camat.pujer")

    # The device's page offers "Laporkan masalah".
    page.goto(f"{base_url}/aset/{scanner.id}")
    expect(page.get_by_test_id("asset-title")).to_have_text("Alat Sidik Jari")
    fits(page)
    page.get_by_role("link", name="Laporkan masalah").click()

    # The picker: the device is pre-selected, the gangguan option is shown.
    expect(page.get_by_role("heading", name="Laporkan masalah sarana prasarana")).to_be_visible()
    picker = page.get_by_label("Aset (opsional)")
    expect(picker).to_have_value(str(scanner.id))
    gangguan = page.get_by_label("Pindahkan status aset ke gangguan")
    expect(gangguan).to_be_visible()
    fits(page)
    # No device: the option goes; the search narrows the list; choosing brings it back.
    picker.select_option("")
    expect(gangguan).to_be_hidden()
    page.get_by_placeholder("Cari nama, merek atau NUP…").fill("kamera")
    expect(picker.locator("option")).to_have_count(2)  # the blank one and the camera
    page.get_by_placeholder("Cari nama, merek atau NUP…").fill("sidik")
    expect(picker.locator("option")).to_have_count(2)  # the blank one and the scanner
    picker.select_option(str(scanner.id))
    expect(gangguan).to_be_visible()
    gangguan.check()
    page.get_by_label("Kategori").select_option("perangkat")
    page.get_by_label("Urgensi").select_option("tinggi")
    page.get_by_label("Dampak").select_option("sedang")
    page.get_by_label("Judul singkat").fill("Sidik jari tidak terbaca")
    page.get_by_label("Uraian masalah").fill("Sensor tidak merespons sejak pagi.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_text(re.compile(r"Tiket TK-\d{4}-\d{5} dibuat"))).to_be_visible()
    number = page.get_by_test_id("ticket-number").inner_text()
    expect(page.get_by_text("Status aset Alat Sidik Jari menjadi Gangguan.")).to_be_visible()
    fits(page)

    # The device is down, and its history links the ticket.
    page.goto(f"{base_url}/aset/{scanner.id}")
    expect(page.locator("h1 + p").get_by_text("Gangguan")).to_be_visible()
    page.get_by_role("link", name=number).first.click()
    expect(page.get_by_test_id("ticket-number")).to_have_text(number)
    fits(page)

    # The blanko the Dinas sent: the camat confirms it in their own name.
    page.goto(f"{base_url}/blanko/penerimaan-tertunda")
    expect(page.get_by_role("heading", name="Penerimaan blanko tertunda")).to_be_visible()
    fits(page)
    page.get_by_role("link", name=f"#{sent.id}").click()
    expect(page.get_by_test_id("quantity")).to_have_text("100 keping")
    fits(page)
    page.get_by_role("button", name="Konfirmasi diterima").click()
    expect(page.get_by_text("Penerimaan 100 keping dikonfirmasi.")).to_be_visible()
    expect(page.get_by_test_id("received")).to_have_text("100 dari 100 keping")
    expect(page.get_by_test_id("receipt-by")).to_have_text(users["camat"].name)
    fits(page)

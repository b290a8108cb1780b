"""A DPRD member's path: dashboard → idle equipment list; packet → download → verification."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_foundation_browser import login_as
from tests.hearing.helpers import make_asset

pytestmark = pytest.mark.browser


def test_dprd_drills_down_generates_downloads_and_verifies(page: Page, base_url, users, tmp_path):
    make_asset(
        "35.11.05",
        name="Printer kartu",
        category="cetak_ktp",
        price=49_990_000,
        status="tidak_digunakan",
    )
    make_asset("35.11.06", price=12_500_000)
    login_as(page, base_url, "dprd")

    # dashboard: the idle value card opens the list of idle equipment, with the same value
    card = page.get_by_test_id("card-idle_value")
    value = page.get_by_test_id("value-idle_value").inner_text()
    assert value.startswith("Rp ") and value != "Rp 0"
    card.click()
    expect(page).to_have_url(re.compile(r"/aset/menganggur\?region=35\.11$"))
    expect(page.get_by_role("heading", name="Aset menganggur")).to_be_visible()
    expect(page.get_by_test_id("idle-value")).to_have_text(value)
    expect(page.get_by_role("link", name="Printer kartu")).to_be_visible()

    # generate a packet for the kabupaten
    page.goto(f"{base_url}/beranda")
    page.get_by_role("link", name="buat paket RDP").click()
    page.get_by_label("Wilayah").select_option("35.11")
    page.get_by_label("Periode mulai").fill("2026-01-01")
    page.get_by_label("Periode selesai").fill("2026-06-30")
    page.get_by_role("button", name="Buat dan arsipkan").click()
    expect(
        page.get_by_text(re.compile(r"Paket laporan RDP #\d+ dibuat dan diarsipkan"))
    ).to_be_visible()

    # download the PDF
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").first.click()
    download = info.value
    assert download.suggested_filename == "laporan-rdp-35.11-20260101-20260630.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # the public verification page confirms it (as anyone, without logging in)
    href = page.get_by_test_id("verify-link").first.get_attribute("href")
    anon = page.context.browser.new_context(locale="id-ID").new_page()
    anon.goto(f"{base_url}{href}")
    expect(anon.get_by_test_id("packet-info")).to_contain_text("Kabupaten Bondowoso (35.11)")
    anon.set_input_files('input[type="file"]', str(saved))
    anon.get_by_role("button", name="Periksa berkas").click()
    expect(anon.get_by_test_id("verify-result")).to_contain_text("Cocok")
    # a changed copy does not pass
    changed = tmp_path / "diubah.pdf"
    data = bytearray(saved.read_bytes())
    data[-10] ^= 0x01
    changed.write_bytes(bytes(data))
    anon.set_input_files('input[type="file"]', str(changed))
    anon.get_by_role("button", name="Periksa berkas").click()
    expect(anon.get_by_test_id("verify-result")).to_contain_text("Tidak cocok")
    anon.context.close()

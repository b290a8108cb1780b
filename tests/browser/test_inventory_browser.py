"""Issue 18 acceptance at 390×844: an inventarisasi of one kecamatan, a label's QR image fed
to the scan page's photo path (jsQR in the page), the asset marked found, a second scan that
changes nothing, a find queued on the device while offline, and the kadis's closing with the
right groups and the berita acara."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
import segno
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.assets.helpers import make_asset
from tests.browser.test_kadis_inbox import fits, login_as

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOTS_DIR")  # e.g. /work/wt/shots-L


def _shot(page: Page, name: str) -> None:
    fits(page, "inventarisasi", name)


def _label_png(path, url: str) -> str:
    segno.make(url, error="m").save(str(path), kind="png", scale=8, border=4)
    return str(path)


@pytest.mark.slow
def test_inventory_of_one_kecamatan_by_scanning_a_label_photo(
    page: Page, base_url, users, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.on("dialog", lambda dialog: dialog.accept())
    pc = make_asset(name="PC perekaman Pujer", unit_price=10_000_000)
    printer = make_asset(name="Printer KTP-el Pujer", unit_price=4_000_000)
    make_asset(name="Kamera Pujer", unit_price=1_500_000)
    make_asset(name="PC kecamatan lain", region_code="35.11.06", unit_price=9_000_000)
    label = _label_png(tmp_path / "label.png", f"{base_url}/l/{pc.label_token}")

    login_as(page, base_url, "petugas")
    page.goto(f"{base_url}/inventarisasi/baru")
    page.get_by_label("Wilayah (kab/kota, atau satu/lebih kecamatan)").select_option("35.11.05")
    page.get_by_role("button", name="Buka inventarisasi").click()
    expect(page.get_by_test_id("scan-status")).to_contain_text("Arahkan kamera")
    expect(page.get_by_test_id("scan-progress")).to_contain_text("Ditemukan 0 dari 3 aset")
    _shot(page, "1-pindai")

    # The label's QR code read from a photo by the page's own jsQR.
    page.locator("#inv-file").set_input_files(label)
    expect(page.get_by_test_id("scan-status")).to_contain_text("Label terbaca")
    expect(page.get_by_label("Kode label atau nomor register")).to_have_value(
        f"{base_url}/l/{pc.label_token}"
    )
    page.get_by_label("Kondisi").first.select_option("KB")
    page.get_by_label("Catatan").first.fill("Kipas berisik")
    page.get_by_role("button", name="Catat ditemukan").click()
    expect(page.get_by_test_id("scan-status")).to_contain_text("dicatat ditemukan")
    expect(page.get_by_test_id("scan-progress")).to_contain_text("Ditemukan 1 dari 3 aset")
    _shot(page, "2-ditemukan")

    # The same label again: recorded once, nothing changes.
    page.locator("#inv-file").set_input_files(label)
    expect(page.get_by_test_id("scan-status")).to_contain_text("Label terbaca")
    page.get_by_label("Kondisi").first.select_option("RB")
    page.get_by_role("button", name="Catat ditemukan").click()
    expect(page.get_by_test_id("scan-status")).to_contain_text("tidak ada yang berubah")
    expect(page.get_by_test_id("scan-progress")).to_contain_text("Ditemukan 1 dari 3 aset")

    # Weak network: the find waits on the device and is sent when the network is back.
    page.context.set_offline(True)
    page.get_by_label("Kode label atau nomor register").fill(printer.register_no)
    page.get_by_role("button", name="Catat ditemukan").click()
    expect(page.get_by_test_id("scan-status")).to_contain_text("tersimpan di perangkat")
    expect(page.get_by_test_id("scan-queue")).to_contain_text("1 temuan tersimpan di perangkat")
    _shot(page, "3-tersimpan-di-perangkat")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("scan-status")).to_contain_text("Temuan dari perangkat terkirim")
    expect(page.get_by_test_id("scan-queue")).to_be_hidden()
    expect(page.get_by_test_id("scan-progress")).to_contain_text("Ditemukan 2 dari 3 aset")

    page.get_by_role("link", name="Lihat hasil").click()
    expect(page.get_by_test_id("count-found")).to_have_text("2")
    expect(page.get_by_test_id("count-not_found")).to_have_text("1")
    expect(page.get_by_test_id("count-condition_changed")).to_have_text("1")
    page.get_by_role("button", name="Ajukan untuk konfirmasi").click()
    expect(page.get_by_test_id("inventory-status")).to_have_text("Menunggu konfirmasi")
    detail_url = page.url

    login_as(page, base_url, "kadis")
    page.goto(detail_url)
    page.get_by_role("button", name="Konfirmasi hasil").click()
    expect(page.get_by_test_id("inventory-status")).to_have_text("Dikonfirmasi")
    expect(page.get_by_test_id("count-found")).to_have_text("2")
    expect(page.get_by_test_id("count-not_found")).to_have_text("1")
    expect(page.get_by_test_id("count-condition_changed")).to_have_text("1")
    expect(page.get_by_test_id("count-moved")).to_have_text("0")
    expect(page.get_by_test_id("lines-not_found")).to_contain_text("Kamera Pujer")
    expect(page.get_by_test_id("inventory-summary")).to_contain_text("Rp 14.000.000")
    _shot(page, "4-dikonfirmasi")

    pdf = page.request.get(
        page.get_by_role("link", name="Berita acara (PDF)").get_attribute("href")
        .replace("/inventarisasi", f"{base_url}/inventarisasi", 1)
    )  # fmt: skip
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf.body())).pages
    )
    assert "BERITA ACARA HASIL INVENTARISASI" in text and "Kamera Pujer" in text

    page.goto(f"{base_url}/aset/{pc.id}")
    expect(page.get_by_test_id("last-inventory")).to_contain_text("Ditemukan")
    expect(page.get_by_text("Kurang Baik").first).to_be_visible()
    _shot(page, "5-aset")

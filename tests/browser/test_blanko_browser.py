"""Blanko main path in Chromium: receive 1,000 cards with a serial range, distribute 200 to a
kecamatan, the camat confirms 200 and records 5 rusak, the kadis approves: 800 / 195."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_foundation_browser import login_as

pytestmark = pytest.mark.browser


def logout(page: Page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()


@pytest.mark.slow
def test_receive_distribute_confirm_damage_approve(page: Page, base_url, users):
    # The petugas receives 1,000 cards from Ditjen with their serial range.
    login_as(page, base_url, "petugas")
    page.get_by_role("button", name="Blanko").click()
    page.get_by_role("link", name="Saldo per lokasi").click()
    page.get_by_role("link", name="Penerimaan", exact=True).click()
    page.get_by_label("Gudang Dinas penerima").select_option("35.11")
    page.get_by_label("Jumlah (keping)").fill("1000")
    page.get_by_label("Nomor BAST").fill("BAST/DITJEN/2026/041")
    page.get_by_label("Tanggal BAST").fill("2026-01-15")
    page.get_by_label("Rentang nomor seri").fill("3511000001-3511000999")
    page.get_by_role("button", name="Simpan").click()
    # One card short in the range: refused, and what was typed is still there.
    expect(
        page.get_by_text("Jumlah nomor seri (999) tidak sama dengan jumlah keping (1.000).")
    ).to_be_visible()
    expect(page.get_by_label("Nomor BAST")).to_have_value("BAST/DITJEN/2026/041")
    page.get_by_label("Rentang nomor seri").fill("3511000001-3511001000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Penerimaan 1.000 keping tercatat.")).to_be_visible()

    # … and sends 200 to Kec. Pujer.
    page.goto(f"{base_url}/blanko/lokasi/35.11")
    page.get_by_role("link", name="Distribusi", exact=True).click()
    page.get_by_label("Ke kecamatan").select_option("35.11.05")
    page.get_by_label("Jumlah (keping)").fill("200")
    page.get_by_label("Nomor BAST / surat jalan").fill("SJ/041/2026")
    page.get_by_label("Rentang nomor seri").fill("3511000001-3511000200")
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text("Distribusi 200 keping tercatat; menunggu konfirmasi penerimaan.")
    ).to_be_visible()
    logout(page)

    # The camat of Pujer confirms 200 and records 5 damaged cards.
    login_as(page, base_url, "camat.pujer")
    page.get_by_role("button", name="Blanko").click()
    page.get_by_role("link", name="Penerimaan tertunda").click()
    row = page.locator("tr", has_text="SJ/041/2026")
    expect(row.get_by_role("textbox", name=re.compile("Jumlah diterima"))).to_have_value("200")
    row.get_by_role("button", name="Terima").click()
    expect(page.get_by_text("Penerimaan 200 keping dikonfirmasi.")).to_be_visible()
    expect(page.get_by_text("Tidak ada blanko yang menunggu konfirmasi.")).to_be_visible()
    page.goto(f"{base_url}/blanko/lokasi/35.11.05")
    expect(page.get_by_test_id("on-hand")).to_have_text("200")
    page.get_by_role("link", name="Rusak", exact=True).click()
    page.get_by_label("Jumlah (keping)").fill("5")
    page.get_by_label("Sebab kerusakan").fill("Gagal cetak: chip tidak terbaca")
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text("5 keping rusak tercatat; menunggu persetujuan Kepala Dinas.")
    ).to_be_visible()
    logout(page)

    # The kadis approves with a berita acara number.
    login_as(page, base_url, "kadis")
    page.get_by_role("button", name="Blanko").click()
    page.get_by_role("link", name="Persetujuan", exact=True).click()
    row = page.locator("tr", has_text="Gagal cetak: chip tidak terbaca")
    row.get_by_role("textbox", name=re.compile("Nomor berita acara")).fill("BA.400.12.2.1/03/2026")
    row.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Disetujui; saldo diperbarui.")).to_be_visible()

    # Balances: 800 at the Dinas, 195 at Pujer.
    page.goto(f"{base_url}/blanko/?region=35.11")
    expect(page.get_by_test_id("on-hand-35.11")).to_have_text("800")
    expect(page.get_by_test_id("on-hand-35.11.05")).to_have_text("195")
    expect(page.get_by_test_id("in-transit-35.11.05")).to_have_text("")
    # The berita acara is there to print.
    page.goto(f"{base_url}/blanko/mutasi?kind=rusak")
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    expect(page.get_by_role("link", name="Berita acara (PDF)")).to_be_visible()

"""Issue 17 in a browser: the kab/kota comparison (sorted by a click on a column header, each
row leading to that kab/kota's summary), the daily recap and the register's export formats.
SHOTS_DIR=/work/wt/shots-N keeps a screenshot of each step."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_kadis_inbox import login_as
from tests.hearing import fixture
from tests.hearing.helpers import make_asset

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOTS_DIR")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_kabkota_side_by_side_recap_and_formats(page: Page, base_url, users):
    fixture.build(users)
    make_asset("36.73.01", price=190_000_000)
    page.set_viewport_size({"width": 1366, "height": 900})
    login_as(page, base_url, "admin")
    page.goto(f"{base_url}/laporan/kabkota?dari=2026-06-01&sampai=2026-06-30")
    table = page.get_by_test_id("kabkota-table")
    expect(table).to_contain_text("Kabupaten Bondowoso")
    expect(table).to_contain_text("Kota Serang")
    shot(page, "1-kabkota")
    table.get_by_role("link", name="Nilai", exact=True).click()  # ascending
    page.wait_for_url("**sort=assets_value**")
    expect(table.locator("tbody tr").first).to_have_attribute(
        "data-region", "35.11"
    )  # Rp124,7 juta
    table.get_by_role("link", name="Nilai ▲").click()  # descending: Serang's Rp190 juta first
    page.wait_for_url("**sort=-assets_value**")
    rows = table.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-region", "36.73")
    shot(page, "2-kabkota-urut-nilai")
    rows.filter(has_text="Bondowoso").get_by_role("link", name="Kabupaten Bondowoso").click()
    expect(
        page.get_by_role("heading", name="Ringkasan angka · Kabupaten Bondowoso")
    ).to_be_visible()

    page.goto(f"{base_url}/laporan/rekap-harian?region=35&dari=2026-06-27&sampai=2026-06-30")
    recap = page.get_by_test_id("recap-table")
    expect(recap).to_contain_text("Kabupaten Bondowoso")
    shot(page, "3-rekap-harian")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh XLSX").click()
    assert dl.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{base_url}/aset/")
    expect(page.get_by_role("link", name="e-BMD")).to_be_visible()
    shot(page, "4-aset-ekspor")
    with page.expect_download() as dl:
        page.get_by_role("link", name="SIMDA (CSV)").click()
    assert dl.value.suggested_filename.endswith(".csv")
    page.goto(f"{base_url}/aset/impor")
    page.get_by_label("Tata letak berkas").select_option("ebmd")
    shot(page, "5-impor-tata-letak")

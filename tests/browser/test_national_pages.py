"""Issue 19 in a browser, with every province, kab/kota and kecamatan loaded: the national
summary shows one row per kab/kota with a pager, and the register's region picker narrows
down step by step (a province, then its kab/kota, then their kecamatan) instead of listing
7,799 regions. SHOTS_DIR=/tmp/… keeps a screenshot of each step at both widths."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_kadis_inbox import login_as
from tests.test_page_sizes import _load_national

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_national_summary_and_region_picker(page: Page, base_url, users, width, height):
    _load_national()
    page.set_viewport_size({"width": width, "height": height})
    login_as(page, base_url, "admin")
    page.goto(f"{base_url}/laporan/ringkasan")
    table = page.get_by_test_id("summary-table")
    expect(table.locator("thead th").first).to_have_text("Kabupaten/kota")
    expect(table.locator("tbody tr")).to_have_count(50)
    expect(page.get_by_text(re.compile(r"halaman 1 dari 1\d\b"))).to_be_visible()
    page.locator("#kecamatan").scroll_into_view_if_needed()
    shot(page, f"national-ringkasan-{width}")

    page.goto(f"{base_url}/aset/")
    picker = page.locator('select[name="region"]')
    assert picker.locator("option").count() < 60  # the provinces, not 7,799 regions
    picker.select_option("35")  # "35 — Prov. Jawa Timur ▸": the page reloads for it
    page.wait_for_url("**region=35**")
    picker = page.locator('select[name="region"]')
    expect(picker.locator('option[value="35.11"]')).to_have_count(1)
    expect(picker.locator('option[value="35.11.05"]')).to_have_count(0)
    picker.select_option("35.11")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**region=35.11**")
    picker = page.locator('select[name="region"]')
    expect(picker.locator('option[value="35.11.05"]')).to_have_count(1)
    shot(page, f"region-picker-{width}")

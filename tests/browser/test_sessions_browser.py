"""Sessions that end, as an admin clicks it: "Akhiri semua sesi" asks first, then the user's
open browser lands on the login page at its next click."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_foundation_browser import login_as

pytestmark = pytest.mark.browser


def test_admin_ends_all_sessions_of_a_user(page: Page, browser: Browser, base_url, users):
    other = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    try:
        user_page = other.new_page()
        login_as(user_page, base_url, "petugas")
        login_as(page, base_url, "admin")
        page.goto(f"{base_url}/admin/pengguna/{users['petugas'].id}")
        asked = []

        def answer(dialog):
            asked.append(dialog.message)
            if len(asked) == 1:
                dialog.dismiss()
            else:
                dialog.accept()

        page.on("dialog", answer)
        button = page.get_by_role("button", name="Akhiri semua sesi")
        button.click()  # dismissed: nothing happens
        user_page.goto(f"{base_url}/beranda")
        expect(user_page.get_by_test_id("user-menu")).to_be_visible()
        button.click()
        expect(page.get_by_text("Semua sesi petugas telah diakhiri")).to_be_visible()
        assert asked[0].startswith("Akhiri semua sesi petugas?")
        user_page.goto(f"{base_url}/beranda")
        expect(user_page).to_have_url(re.compile(r"/masuk"))
        expect(page.get_by_test_id("user-menu")).to_be_visible()
    finally:
        other.close()

"""Main paths of the foundation as a user clicks them, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def login_as(page: Page, base_url: str, username: str, password: str = PASSWORD):
    page.goto(f"{base_url}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_camat_logs_in_sees_only_own_kecamatan_and_logs_out(page: Page, base_url, users):
    login_as(page, base_url, "camat.pujer")
    page.get_by_role("link", name="Wilayah", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("Kec. Pujer"))).to_be_visible()
    expect(page.get_by_text("Bondowoso")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Kec. Pujer")).click()
    expect(page.get_by_test_id("region-title")).to_have_text("Kec. Pujer")
    # Another kecamatan by URL: not found, not forbidden.
    resp = page.goto(f"{base_url}/wilayah/35.11.06")
    assert resp.status == 404
    page.goto(f"{base_url}/beranda")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    page.goto(f"{base_url}/beranda")
    expect(page).to_have_url(re.compile(r"/masuk"))


def test_admin_creates_user_through_form(page: Page, base_url, users):
    login_as(page, base_url, "admin")
    page.goto(f"{base_url}/admin/pengguna")
    page.get_by_role("link", name="Tambah pengguna").click()
    page.get_by_label("Nama pengguna").fill("camat.maesan")
    page.get_by_label("Nama lengkap").fill("Operator Kec. Maesan")
    page.get_by_label("Peran").select_option("camat")
    page.get_by_label("Cakupan wilayah").select_option("35.11.01")
    page.get_by_label("Kata sandi awal").fill("pendek")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kata sandi minimal 10 karakter.")).to_be_visible()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Operator Kec. Maesan")
    page.get_by_label("Kata sandi awal").fill("sandi-awal-maesan")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Pengguna camat.maesan dibuat.")).to_be_visible()
    expect(page.get_by_role("link", name="camat.maesan")).to_be_visible()

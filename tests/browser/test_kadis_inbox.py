"""The kadis's main path, on a phone and at 1366 px: home → Perlu tindakan → a letter to sign
→ sign it → it has left the inbox. Each step asserts what is visible, and fails when the page
is wider than the window (sideways scrolling)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assets_app.extensions import db
from assets_app.letters import services as letters
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOTS_DIR")  # e.g. /work/wt/shots-G: a screenshot per step
VIEWPORTS = {"hp": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def login_as(page: Page, base_url: str, username: str) -> None:
    """The login form (the user menu is folded away on a phone: wait for the home page)."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Beranda")).to_be_visible()


def fits(page: Page, name: str, shot: str) -> None:
    page.wait_for_load_state("load")  # styled: a layout read before the CSS is unstyled
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{shot}.png", full_page=True)
    assert scroll <= width, f"{shot}: halaman {scroll} px lebih lebar dari layar {width} px"


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_kadis_signs_a_letter_from_the_inbox(page: Page, base_url, users, name):
    page.set_viewport_size(VIEWPORTS[name])
    for perihal in ("Permohonan perbaikan server Pujer", "Permohonan tambahan blanko KTP-el"):
        letters.compose_letter(
            by=users["petugas"], region_code="35.11.05", direction="keluar",
            recipient="PT Sinar Data", perihal=perihal, body="Dengan hormat,\n\nMohon bantuan.",
        )  # fmt: skip
    db.session.commit()

    login_as(page, base_url, "kadis")
    page.goto(f"{base_url}/beranda")
    block = page.get_by_test_id("home-inbox")
    expect(block).to_contain_text("Surat menunggu tanda tangan")
    expect(block.get_by_test_id("inbox-letters_to_sign")).to_contain_text("2")
    fits(page, f"kadis-{name}", "1-beranda")

    block.get_by_role("link", name="Perlu tindakan").click()
    expect(page.get_by_role("heading", name="Perlu tindakan")).to_be_visible()
    line = page.get_by_test_id("inbox-letters_to_sign")
    expect(line).to_contain_text("Draf surat keluar; buka surat lalu tanda tangani.")
    fits(page, f"kadis-{name}", "2-perlu-tindakan")

    line.click()
    table = page.get_by_test_id("letter-table")
    expect(table).to_contain_text("Permohonan perbaikan server Pujer")
    expect(table).to_contain_text("Permohonan tambahan blanko KTP-el")
    fits(page, f"kadis-{name}", "3-surat-menunggu")

    row = table.locator("tr", has_text="Permohonan perbaikan server Pujer")
    row.get_by_role("link", name=re.compile(r"Draf #\d+")).click()
    expect(page.get_by_text("Permohonan perbaikan server Pujer").first).to_be_visible()
    fits(page, f"kadis-{name}", "4-surat")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tandatangani").click()
    expect(page.get_by_text(re.compile(r"Surat ditandatangani dengan nomor \S+"))).to_be_visible()
    fits(page, f"kadis-{name}", "5-ditandatangani")

    page.goto(f"{base_url}/perlu-tindakan")
    line = page.get_by_test_id("inbox-letters_to_sign")
    expect(line.get_by_test_id("inbox-count")).to_have_text("1")
    if name == "desktop":
        expect(page.get_by_test_id("nav-badge-inbox")).to_have_text("1")
    fits(page, f"kadis-{name}", "6-perlu-tindakan-sesudah")
    line.click()
    table = page.get_by_test_id("letter-table")
    expect(table).to_contain_text("Permohonan tambahan blanko KTP-el")
    expect(table).not_to_contain_text("Permohonan perbaikan server Pujer")


def test_label_download_says_it_is_being_prepared_then_delivers_the_pdf(
    page: Page, base_url, users
):
    from tests.tickets.helpers import make_asset

    make_asset()
    page.set_viewport_size(VIEWPORTS["desktop"])
    login_as(page, base_url, "petugas")
    page.goto(f"{base_url}/aset/")
    link = page.get_by_role("link", name="Label QR (PDF)")
    # Record every text the link shows while the file is fetched.
    link.evaluate(
        """a => { window.seen = [];
        new MutationObserver(() => window.seen.push(a.textContent))
          .observe(a, {childList: true, characterData: true, subtree: true}); }"""
    )
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "label-aset-semua.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    expect(link).to_have_text("Label QR (PDF)")
    assert "Menyiapkan berkas…" in page.evaluate("window.seen")


@pytest.mark.parametrize(
    ("username", "lines"),
    [
        ("petugas", ("Tiket baru belum diterima", "Tiket melewati batas waktu")),
        ("camat.pujer", ("Tiket menunggu jawaban kecamatan", "Kiriman blanko menunggu")),
    ],
)
def test_inbox_of_petugas_and_camat_on_a_phone(page: Page, base_url, users, username, lines):
    from tests.tickets.helpers import file_ticket

    file_ticket(users["camat"])
    page.set_viewport_size(VIEWPORTS["hp"])
    login_as(page, base_url, username)
    block = page.get_by_test_id("home-inbox")
    for text in lines:
        expect(block).to_contain_text(text)
    fits(page, f"{username}-hp", "beranda")
    block.get_by_role("link", name="Perlu tindakan").click()
    for text in lines:
        expect(page.get_by_test_id("inbox-lines")).to_contain_text(text)
    fits(page, f"{username}-hp", "perlu-tindakan")

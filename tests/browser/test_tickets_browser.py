"""The repair-ticket path as people click it: a camat files with a photo; a petugas accepts,
waits for the vendor, drafts a letter, resolves; the camat closes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.tickets.helpers import png_bytes

pytestmark = pytest.mark.browser


def login_as(page: Page, base_url: str, username: str):
    page.context.clear_cookies()
    page.goto(f"{base_url}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def step(page: Page, target: str, button: str, note: str | None = None, party: str | None = None):
    form = page.get_by_test_id(f"step-{target}")
    if note:
        form.get_by_role("textbox").fill(note)
    if party:
        form.get_by_label("Pihak yang ditunggu").select_option(party)
    form.get_by_role("button", name=button).click()


@pytest.mark.slow
def test_ticket_from_filing_to_closing(page: Page, base_url, users, tmp_path):
    photo = tmp_path / "server-mati.png"
    photo.write_bytes(png_bytes(40, 30))

    # The camat files a ticket with a photo.
    login_as(page, base_url, "camat.pujer")
    page.get_by_role("link", name="Tiket", exact=True).click()
    page.get_by_role("link", name="Laporkan masalah").click()
    expect(page.get_by_label("Kecamatan")).to_have_value("35.11.05")
    page.get_by_label("Kategori").select_option("perangkat")
    page.get_by_label("Urgensi").select_option("tinggi")
    page.get_by_label("Dampak").select_option("tinggi")
    page.get_by_label("Judul singkat").fill("Server perekaman mati")
    page.get_by_label("Uraian masalah").fill(
        "Server tidak menyala sejak pagi; warga tidak bisa merekam."
    )
    page.get_by_label("Foto atau PDF (opsional)").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_text(re.compile(r"Tiket TK-\d{4}-00001 dibuat"))).to_be_visible()
    number = page.get_by_test_id("ticket-number").inner_text()
    ticket_url = page.url
    expect(page.get_by_test_id("status-badge")).to_have_text("Baru")
    thumb = page.get_by_role("img", name="server-mati.png")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.naturalWidth") == 40  # the stored photo loads

    # The petugas is notified, opens it, accepts, works, waits for the vendor.
    login_as(page, base_url, "petugas")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("nav-notifications").click()
    page.get_by_role("button", name=re.compile(f"Tiket baru {number}")).click()
    expect(page).to_have_url(ticket_url)
    step(page, "diterima", "Terima tiket")
    expect(page.get_by_test_id("status-badge")).to_have_text("Diterima")
    expect(page.get_by_test_id("assignee")).to_have_text("Pengguna petugas")
    step(page, "dikerjakan", "Mulai kerjakan", note="Teknisi ke lokasi.")
    # Nobody is blamed silently (issue 12): the party waited for starts blank.
    waited = page.get_by_test_id("step-menunggu_pihak_ketiga").get_by_label("Pihak yang ditunggu")
    expect(waited).to_have_value("")
    step(page, "menunggu_pihak_ketiga", "Tunggu pihak ketiga")  # no note: refused, explained
    expect(
        page.get_by_text("Catatan wajib diisi: Apa yang ditunggu dari pihak ketiga?")
    ).to_be_visible()
    expect(page.get_by_text("Pihak yang ditunggu wajib dipilih")).to_be_visible()
    expect(page.get_by_test_id("party")).to_have_text("Disdukcapil")
    step(
        page,
        "menunggu_pihak_ketiga",
        "Tunggu pihak ketiga",
        note="Power supply rusak, klaim garansi ke vendor.",
        party="vendor",
    )
    expect(page.get_by_test_id("status-badge")).to_have_text("Menunggu pihak ketiga")
    expect(page.get_by_test_id("party")).to_have_text("Vendor/penyedia")
    expect(page.get_by_test_id("sla")).to_contain_text("dijeda")

    # … drafts a letter to the vendor, pre-filled with the facts.
    page.get_by_role("link", name="Buat surat").click()
    expect(page.get_by_label("Ditujukan kepada")).to_have_value("vendor")
    expect(page.get_by_label("Isi surat")).to_contain_text("- Kecamatan: Pujer")
    expect(page.get_by_label("Isi surat")).to_contain_text(number)
    page.get_by_label("Yth. (penerima)").fill("Pimpinan PT Sinar Data")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf surat disimpan.")).to_be_visible()
    expect(page.get_by_test_id("letter-status")).to_have_text("Draf")
    page.get_by_role("link", name=re.compile(f"Tiket {number}")).click()
    expect(page.get_by_test_id("letters")).to_contain_text("Draf")

    # … and resolves it.
    step(page, "selesai", "Selesaikan", note="Power supply diganti vendor, sudah diuji.")
    expect(page.get_by_test_id("status-badge")).to_have_text("Selesai")

    # The camat closes it.
    login_as(page, base_url, "camat.pujer")
    page.goto(ticket_url)
    step(page, "ditutup", "Tutup tiket")
    expect(page.get_by_test_id("status-badge")).to_have_text("Ditutup")
    timeline = page.get_by_test_id("timeline")
    for text in (
        "Tiket dibuat",
        "Baru → Diterima",
        "Dikerjakan → Menunggu pihak ketiga",
        "Draf surat kepada Pimpinan PT Sinar Data",
        "Selesai → Ditutup",
    ):
        expect(timeline).to_contain_text(text)
    page.screenshot(path=str(tmp_path / "tiket.png"), full_page=True)

"""A petugas records a session with two attendees, one passes: the gap closes, the
certificate downloads and its QR page verifies without login."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_foundation_browser import login_as
from tests.training.factories import make_asset, make_operator

pytestmark = pytest.mark.browser

PUJER = "35.11.05"


def _pujer_kk(page: Page):
    row = page.locator(f'tr[data-region="{PUJER}"]')
    # Columns: region, perekaman, cetak_ktp, cetak_kk, …
    return row.locator("td").nth(3)


def test_petugas_records_training_and_gap_disappears(page: Page, base_url, users, tmp_path):
    make_asset(PUJER, "cetak_kk", status="tidak_digunakan")
    make_operator(PUJER, "Ani Lulus")
    make_operator(PUJER, "Budi Belum")
    login_as(page, base_url, "petugas")

    page.get_by_role("button", name="Pelatihan").click()
    page.get_by_role("link", name="Kesenjangan pelatihan").click()
    expect(_pujer_kk(page)).to_have_attribute("data-status", "red")

    page.get_by_role("button", name="Pelatihan").click()
    page.get_by_role("link", name="Sesi pelatihan").click()
    page.get_by_role("link", name="Sesi baru").click()
    page.get_by_label("Judul pelatihan").fill("Bimtek Pencetakan KK Kecamatan Pujer")
    page.get_by_label("Cetak KK", exact=True).check()
    page.get_by_label("Tanggal mulai").fill("2026-01-14")
    page.get_by_label("Tanggal selesai").fill("2026-01-15")
    page.get_by_label("Tempat").fill("Aula Kecamatan Pujer")
    page.get_by_label("Penyelenggara", exact=True).select_option("dinas")
    page.get_by_label("Pelatih/narasumber (opsional)").fill("Tim Teknis Disdukcapil")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("training-title")).to_have_text(
        "Bimtek Pencetakan KK Kecamatan Pujer"
    )

    # First attendee passes.
    page.get_by_label("Operator", exact=True).select_option(label="Ani Lulus — Kec. Pujer")
    page.get_by_label("Lulus", exact=True).check()
    page.get_by_label("Nilai (0–100, opsional)").fill("88")
    page.get_by_role("button", name="Tambah peserta").click()
    expect(page.get_by_text(re.compile(r"Sertifikat SERT/2026/\d{6} terbit"))).to_be_visible()
    # Second attendee attends but does not pass.
    page.get_by_label("Operator", exact=True).select_option(label="Budi Belum — Kec. Pujer")
    page.get_by_label("Nilai (0–100, opsional)").fill("45")
    page.get_by_role("button", name="Tambah peserta").click()
    expect(page.get_by_text("Peserta dicatat.").last).to_be_visible()
    table = page.get_by_test_id("attendance-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    # Correcting Budi's score inline (his own small form, CSRF-protected).
    budi = table.locator("tr", has_text="Budi Belum")
    budi.get_by_label("Nilai Budi Belum").fill("52")
    budi.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Data peserta diperbarui.")).to_be_visible()
    expect(table.get_by_label("Nilai Budi Belum")).to_have_value("52")
    expect(table.get_by_role("link", name=re.compile(r"^SERT.2026.\d+"))).to_have_count(1)

    # The certificate downloads as a PDF.
    with page.expect_download() as info:
        table.get_by_role("link", name=re.compile(r"^SERT.2026.\d+")).click()
    download = info.value
    assert re.fullmatch(r"sertifikat-SERT-2026-\d{6}\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # The gap for Pujer × Cetak KK has closed.
    page.goto(f"{base_url}/pelatihan/kesenjangan")
    expect(_pujer_kk(page)).to_have_attribute("data-status", "ok")
    expect(_pujer_kk(page)).to_have_text("1")
    expect(page.get_by_test_id("gap-list")).not_to_contain_text("Pujer")


def test_public_verification_page_without_login(page: Page, base_url, users):
    from datetime import date

    from tests.training.factories import attend, make_training

    op = make_operator(PUJER, "Citra Verifikasi", nip="198703122010012003")
    att = attend(make_training(("perekaman",), ends_on=date(2026, 1, 15)), op)
    page.goto(f"{base_url}/sertifikat/{att.verify_token}")
    expect(page.get_by_test_id("certificate-status")).to_have_text("Berlaku")
    expect(page.get_by_test_id("certificate-name")).to_have_text("Citra Verifikasi")
    expect(page.get_by_text("198703122010012003")).to_have_count(0)
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

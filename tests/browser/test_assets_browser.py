"""The register's main path as an asset officer clicks it, in Debian's Chromium."""

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_foundation_browser import login_as

pytestmark = pytest.mark.browser


@pytest.mark.slow
def test_register_asset_report_outage_see_it_on_kecamatan_page_and_import(
    page: Page, base_url, users, tmp_path
):
    login_as(page, base_url, "petugas")
    page.get_by_role("link", name="Aset", exact=True).click()
    page.get_by_role("link", name="Tambah aset").click()
    page.get_by_label("Lokasi (kecamatan atau Dinas)").select_option("35.11.05")
    page.get_by_label("Kode barang").fill("1.3.2.10.01.02.001")
    page.get_by_label("Nomor register (NUP)").fill("1")
    page.get_by_label("Nama barang").fill("PC Unit perekaman KTP-el Pujer")
    page.get_by_label("Kategori").select_option("perekaman")
    page.get_by_label("Merk/Tipe").fill("HP ProDesk 400 G5")
    page.get_by_label("Tanggal perolehan").fill("2019-11-18")
    page.get_by_label("Sumber dana").select_option("APBD")
    page.get_by_label("Harga satuan (Rp)").fill("14.750.000,-")
    page.get_by_role("button", name="Simpan").click()
    # A typing error is explained beside the field and what was typed stays.
    expect(page.get_by_text("Harus berupa bilangan bulat")).to_be_visible()
    expect(page.get_by_label("Nama barang")).to_have_value("PC Unit perekaman KTP-el Pujer")
    page.get_by_label("Harga satuan (Rp)").fill("14750000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("asset-title")).to_have_text("PC Unit perekaman KTP-el Pujer")
    expect(page.get_by_text("Rp 14.750.000")).to_be_visible()

    page.get_by_role("link", name="Ubah status").click()
    page.get_by_label("Status baru").select_option("gangguan")
    page.get_by_label("Sebab").select_option("jaringan")
    # Nobody is blamed silently: the party starts blank and must be chosen (issue 12).
    expect(page.get_by_label("Penanggung jawab")).to_have_value("")
    page.get_by_label("Catatan").fill("VPN ke pusat putus sejak pagi")
    page.get_by_role("button", name="Simpan status").click()
    expect(
        page.get_by_text("Penanggung jawab wajib dipilih untuk status Gangguan.")
    ).to_be_visible()
    expect(page.get_by_label("Sebab")).to_have_value("jaringan")
    expect(page.get_by_label("Catatan")).to_have_value("VPN ke pusat putus sejak pagi")
    page.get_by_label("Penanggung jawab").select_option("diskominfo")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_text("kini Gangguan")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("VPN ke pusat putus sejak pagi")

    page.get_by_role("link", name="Kec. Pujer").click()
    panel = page.locator("#panel-assets-status")
    expect(panel).to_contain_text("PC Unit perekaman KTP-el Pujer")
    expect(panel).to_contain_text("Jaringan · Diskominfo")
    expect(panel.get_by_test_id("can-record")).to_contain_text("Tidak dapat merekam hari ini")
    expect(page.locator("#panel-assets-usage svg.chart-wide")).to_be_visible()

    page.goto(f"{base_url}/aset/impor")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat XLSX").click()
    path = tmp_path / "templat.xlsx"
    download.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    row = {
        "Kode Wilayah": "35.11.06",
        "Kode Barang": "1.3.2.10.02.03.003",
        "Nomor Register": "0001",
        "Nama Barang": "Printer cetak KK",
        "Kategori": "cetak_kk",
        "Tanggal Perolehan": "18/11/2019",
        "Sumber Dana": "APBD",
        "Cara Perolehan": "pembelian",
        "Harga Satuan (Rp)": -4150000,
    }
    for col, header in enumerate(headers, start=1):
        ws.cell(row=2, column=col, value=row.get(header))
    wb.save(path)
    page.get_by_label("Berkas XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Tidak ada yang diimpor: 1 masalah ditemukan")
    expect(errors).to_contain_text(
        "Baris 2, kolom Harga Satuan (Rp): Harga satuan tidak boleh negatif."
    )
    # Fix it and import for real.
    ws.cell(row=2, column=headers.index("Harga Satuan (Rp)") + 1, value=4150000)
    wb.save(path)
    page.get_by_label("Berkas XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("1 baris siap diimpor")
    page.get_by_role("button", name=re.compile("Impor 1 baris")).click()
    expect(page.get_by_text("1 aset diimpor.")).to_be_visible()
    expect(page.get_by_test_id("register-totals")).to_contain_text("2 aset")


def test_idle_page_separates_unreported_and_links_to_belum_melapor(page: Page, base_url, users):
    """Issue 12: a kecamatan without usage reports is unreported, not idle; the Dinas follows
    it up on the "Belum melapor" page."""
    from tests.assets.helpers import make_asset

    make_asset(region_code="35.11.06", unit_price=45_000_000)  # Grujugan never reports
    login_as(page, base_url, "petugas")
    page.get_by_role("button", name="Layanan").click()
    page.get_by_role("link", name="Aset menganggur").click()
    expect(page.get_by_test_id("idle-count")).to_have_text("0")
    expect(page.get_by_test_id("unreported-value")).to_have_text("Rp 45.000.000")
    expect(page.get_by_test_id("unreported")).to_contain_text("belum pernah melapor")
    page.get_by_role("link", name="Kecamatan belum melapor »").click()
    expect(page.get_by_role("heading", name="Belum melapor")).to_be_visible()
    expect(page.get_by_test_id("reporting-row").first).to_contain_text("belum melapor")

"""A big export as the asset officer clicks it: Ekspor → the job page's progress bar (polled
by plain JS) → the download link → a workbook with every row. Screenshots of the progress
page at 1366×900 and 390×844 go to /tmp/export-job-*.png."""

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from assets_app.common.timeutil import utcnow
from assets_app.exports import worker
from assets_app.exports.models import RUNNING, ExportJob
from assets_app.exports.services import worker_id
from assets_app.extensions import db
from tests.assets.helpers import make_asset
from tests.browser.test_foundation_browser import login_as

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _shots(page: Page, name: str) -> None:
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        page.screenshot(path=f"/tmp/export-job-{name}-{size}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_click_export_see_progress_download_file(page: Page, base_url, users, app, tmp_path):
    app.config["EXPORT_JOB_THRESHOLD"] = 3
    try:
        for i in range(6):
            make_asset(commit=False, register_no=f"{i + 1:04d}")
        # A job some way through, to show the bar as it looks while rows are written.
        halfway = ExportJob(
            kind="register", params={"format": "kib", "filter": {}}, user_id=users["petugas"].id,
            region_code="35.11", status=RUNNING, rows_total=145_555, rows_done=58_000,
            download_name="KIB-B-klasik-35-11-20261202.xlsx", worker=worker_id(),
            heartbeat_at=utcnow(),
        )  # fmt: skip
        db.session.add(halfway)
        db.session.commit()
        login_as(page, base_url, "petugas")
        page.goto(f"{base_url}/ekspor/{halfway.id}")
        expect(page.get_by_test_id("export-status")).to_have_text("Sedang ditulis")
        expect(page.get_by_text("58.000 dari 145.555 baris (39%)")).to_be_visible()
        _shots(page, "running")

        slots = worker._semaphore(app)
        slots.acquire()  # the only worker slot is busy: the new job waits its turn
        try:
            page.goto(f"{base_url}/aset/")
            page.get_by_role("link", name="Ekspor lengkap (XLSX)").click()
            expect(page).to_have_url(f"{base_url}/ekspor/{halfway.id + 1}")
            expect(page.get_by_test_id("export-status")).to_have_text("Menunggu giliran")
            _shots(page, "queued")
        finally:
            slots.release()
        link = page.get_by_test_id("export-download")
        expect(link).to_be_visible(timeout=60_000)  # the poll brings the finished state
        expect(page.get_by_test_id("export-status")).to_have_text("Selesai")
        expect(page.get_by_text("6 dari 6 baris (100%)")).to_be_visible()
        _shots(page, "done")
        with page.expect_download() as download:
            link.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        ws = openpyxl.load_workbook(path)["KIB B"]
        numbered = [r for r in ws.iter_rows(min_row=7) if isinstance(r[0].value, int)]
        assert len(numbered) == 6
        assert path.name.startswith("KIB-B-35-11") or path.name.startswith("KIB-B-semua")
    finally:
        app.config["EXPORT_JOB_THRESHOLD"] = 5000

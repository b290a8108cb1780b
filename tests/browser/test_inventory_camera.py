"""The scan page's camera path: Chromium's fake camera plays a video of a label's QR code
(a Y4M written here from the segno matrix), the page's jsQR reads it from the stream."""

from __future__ import annotations

import pytest
import segno
from playwright.sync_api import expect

from tests.assets.helpers import make_asset
from tests.browser.test_kadis_inbox import login_as

pytestmark = pytest.mark.browser

W, H = 640, 480


def _y4m(path, text: str) -> str:
    """One 640×480 4:2:0 frame: the QR code black on white, centred (Chromium loops it)."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    border = 4
    n = len(matrix) + 2 * border
    scale = min(W, H) * 9 // 10 // n
    x0, y0 = (W - n * scale) // 2, (H - n * scale) // 2
    luma = bytearray(b"\xff" * (W * H))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            for dy in range(scale):
                start = (y0 + (r + border) * scale + dy) * W + x0 + (c + border) * scale
                luma[start : start + scale] = b"\x10" * scale
    chroma = b"\x80" * (W // 2 * H // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return str(path)


@pytest.mark.slow
def test_camera_reads_the_label_and_the_asset_is_found(playwright, base_url, users, tmp_path):
    from assets_app.extensions import db
    from assets_app.inventory import services

    asset = make_asset(name="PC perekaman Pujer")
    session = services.open_session(users["petugas"], regions=["35.11.05"])
    db.session.commit()
    video = _y4m(tmp_path / "label.y4m", f"{base_url}/l/{asset.label_token}")
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="id-ID", permissions=["camera"]
        )
        page = context.new_page()
        login_as(page, base_url, "petugas")
        page.goto(f"{base_url}/inventarisasi/{session.id}/pindai")
        page.get_by_role("button", name="Buka kamera").click()
        expect(page.get_by_test_id("scan-status")).to_contain_text("Label terbaca", timeout=15000)
        expect(page.get_by_label("Kode label atau nomor register")).to_have_value(
            f"{base_url}/l/{asset.label_token}"
        )
        expect(page.get_by_role("button", name="Buka kamera")).to_be_visible()  # camera closed
        page.get_by_role("button", name="Catat ditemukan").click()
        expect(page.get_by_test_id("scan-status")).to_contain_text("dicatat ditemukan")
    finally:
        browser.close()

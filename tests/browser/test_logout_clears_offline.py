"""Logging out on a shared kecamatan PC leaves nothing of that user in the browser: not the
reports still queued offline (IndexedDB), nor stocktake findings (localStorage), nor the
service worker and its copies of the pages (Cache Storage). It asks first when something
queued has not been sent yet."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_camat_path import login
from tests.field.helpers import kecamatan

pytestmark = pytest.mark.browser

STORED = """async () => ({
  queue: (await window.offlineQueue.all()).length,
  caches: (await caches.keys()).length,
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  findings: localStorage.length,
})"""

LEFT = """async () => ({
  databases: (await indexedDB.databases()).map(d => d.name),
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  findings: localStorage.length,
})"""


def test_logout_clears_the_queued_reports_and_the_cached_pages(page: Page, base_url, users):
    kecamatan(users, stock=10)
    login(page, base_url, "camat.pujer")
    page.goto(f"{base_url}/lapor-harian")
    page.wait_for_function(
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
    )
    # The report cannot be sent (the server is unreachable for it): it stays on the device.
    page.route("**/lapor-harian", lambda route: route.abort() if route.request.method == "POST"
               else route.continue_())  # fmt: skip
    page.get_by_label("Blanko terpakai").fill("3")
    page.get_by_test_id("daily-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("Tersimpan di perangkat")
    page.wait_for_function("() => caches.keys().then(k => k.length > 0)")
    # and a stocktake finding kept by the scan page (inventory_scan.js) on this device
    page.evaluate("() => localStorage.setItem('inventory-queue-7', JSON.stringify([{}]))")
    before = page.evaluate(STORED)
    assert before == {"queue": 1, "caches": before["caches"], "workers": 1, "findings": 1}
    assert before["caches"] > 0

    # Asked first, since the report was not sent: "Batal" keeps the session and the queue.
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_test_id("user-menu").click()
    with page.expect_event("dialog"):  # asked after the queue was read (asynchronously)
        page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    assert asked == [
        "2 kiriman di perangkat ini belum terkirim dan akan terhapus bila Anda keluar. "
        "Tetap keluar?"
    ]
    assert page.evaluate(STORED) == before

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    assert len(asked) == 2
    left = page.evaluate(LEFT)
    assert left == {"databases": [], "caches": [], "workers": 0, "findings": 0}

"""Issue 14: every page of every demo role fits a 390 px phone and a 1366 px desktop.

A page "fits" when nothing scrolls sideways: neither the document nor any box inside it (a
`.table-responsive` that hides the Status column off to the right counts as a failure just as
a too-wide page does). At 1366 px the navbar is one row; at 390 px the decisive columns (Status
on /tiket/ and /aset/, Jumlah dikirim on the pending receipts) are on screen and the charts' labels are
at least 11 px. Then two main paths, each at both sizes, checking every step.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from assets_app.auth import DEMO_PASSWORD
from assets_app.extensions import db
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ROLES = ("camat.pujer", "petugas.bondowoso", "kadis.bondowoso", "dprd.bondowoso", "admin")

# Everything that scrolls sideways: the document, and any box that scrolls its own content.
OVERFLOW_JS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push(`halaman ${doc.scrollWidth}px`);
  for (const el of document.querySelectorAll("body *")) {
    if (!el.offsetParent || el.scrollWidth <= el.clientWidth + 1) continue;
    const x = getComputedStyle(el).overflowX;
    if (x === "auto" || x === "scroll") {
      const name = el.dataset.testid || el.className || el.tagName;
      out.push(`${name} ${el.scrollWidth}px dalam ${el.clientWidth}px`);
    }
  }
  // a filter's select shows its chosen option whole ("Prioritas", not "Priorita")
  const ctx = document.createElement("canvas").getContext("2d");
  for (const sel of document.querySelectorAll("main form[method=get] select")) {
    if (!sel.offsetParent || sel.multiple || sel.selectedIndex < 0) continue;
    const cs = getComputedStyle(sel);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const text = sel.options[sel.selectedIndex].text;
    const need = ctx.measureText(text).width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    if (need > sel.clientWidth + 1) out.push(`pilihan "${text}" terpotong (${sel.name})`);
  }
  return out;
}"""

# The smallest label of every chart on screen, in CSS pixels as drawn: inline SVG text scaled
# by its viewBox, or an <img> drawing's font size (data-font-size) scaled by its rendering.
CHART_FONT_JS = """() => {
  const sizes = [];
  for (const svg of document.querySelectorAll("svg.chart")) {
    if (!svg.getClientRects().length || getComputedStyle(svg).display === "none") continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const fonts = [...svg.querySelectorAll("text")].map(t => parseFloat(t.getAttribute("font-size")));
    sizes.push(Math.min(...fonts) * scale);
  }
  for (const img of document.querySelectorAll("img[data-font-size]")) {
    if (!img.getClientRects().length || getComputedStyle(img).display === "none") continue;
    const drawn = img.naturalWidth ? img.getBoundingClientRect().width / img.naturalWidth : 0;
    sizes.push(parseFloat(img.dataset.fontSize) * drawn);
  }
  return sizes;
}"""


# On a phone: buttons, pagination and the links in tables are at least 44 px tall.
TAP_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll("main .btn, main .page-link, main table a")) {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === "hidden") continue;
    if (r.height < 43.5) out.push(`${(el.textContent || "").trim().slice(0, 30)} ${Math.round(r.height)}px`);
  }
  return out;
}"""


def overflow(page: Page) -> list[str]:
    return page.evaluate(OVERFLOW_JS)


def assert_fits(page: Page, where: str = "") -> None:
    page.wait_for_load_state("domcontentloaded")  # app.js ran, so the styles are applied
    problems = overflow(page)
    assert not problems, f"{where or page.url} @ {page.viewport_size['width']}px: {problems}"


def login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("navbar")).to_contain_text("Aset Dukcapil")
    expect(page).to_have_url(re.compile(r"/beranda$"))
    page.wait_for_load_state("domcontentloaded")


def nav_click(page: Page, name: str, group: str | None = None) -> None:
    """Follows a navbar entry as a person would: through the Menu button on a phone."""
    toggle = page.get_by_test_id("nav-toggle")
    if toggle.is_visible():
        toggle.click()
        expect(page.locator("#nav")).to_be_visible()
    nav = page.get_by_test_id("navbar")
    if group:
        nav.get_by_role("button", name=group).click()
    nav.get_by_role("link", name=name, exact=True).click()


def cell_on_screen(page: Page, table, label: str, width: int) -> str:
    """The text of the first row's cell under `label`, asserting it lies within the screen."""
    cell = table.locator(f'tbody tr:first-child > [data-label="{label}"]')
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
    return cell.inner_text().strip()


@pytest.mark.slow
def test_every_page_of_every_demo_role_fits_a_phone_and_1366(app, runner, browser, base_url):
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    from assets_app.assets.models import Asset
    from assets_app.tickets.models import Ticket

    asset = db.session.scalars(
        sa.select(Asset).where(Asset.region_code == "35.11.05").order_by(Asset.id)
    ).first()
    ticket = db.session.scalars(
        sa.select(Ticket).where(Ticket.region_code == "35.11.05").order_by(Ticket.id)
    ).first()
    # key detail pages every role can open: a Pujer asset, a Pujer ticket, the kecamatan page
    details = [f"/aset/{asset.id}", f"/tiket/{ticket.id}", "/wilayah/35.11.05"]

    failures: list[str] = []
    visited = 0
    for role in ROLES:
        context = browser.new_context(
            base_url=base_url, locale="id-ID", timezone_id="Asia/Jakarta", viewport=DESKTOP
        )
        page = context.new_page()
        login(page, base_url, role, DEMO_PASSWORD)
        # one row at 1366: every entry's top edge on the brand's line
        tops = page.evaluate(
            "() => [...document.querySelectorAll('nav.navbar .navbar-brand, nav.navbar .nav-link')]"
            ".filter(e => e.offsetParent).map(e => Math.round(e.getBoundingClientRect().top))"
        )
        assert len(tops) > 5 and max(tops) - min(tops) <= 4, (role, tops)
        links = page.eval_on_selector_all(
            "#nav a[href]", "els => els.map(e => e.getAttribute('href')).filter(h => h !== '#')"
        )
        pages = list(dict.fromkeys(["/beranda", *links, *details]))
        if role == "camat.pujer":  # the forms of the camat's day
            pages += ["/tiket/baru", "/pemakaian/isi", "/blanko/lokasi/35.11.05"]
        for url in pages:
            response = page.goto(url, wait_until="domcontentloaded")
            assert response.status == 200, (role, url, response.status)
            visited += 1
            # the same page at both sizes (the layout follows the width alone), ending at 390
            for size in (DESKTOP, PHONE):
                if page.viewport_size != size:
                    page.set_viewport_size(size)
                failures += [f"{role} {url} @{size['width']}: {p}" for p in overflow(page)]
            small_targets = page.evaluate(TAP_JS)
            if small_targets:
                failures.append(f"{role} {url} @390: kecil untuk jari: {small_targets[:5]}")
            if url in ("/beranda", "/wilayah/35.11.05"):
                page.wait_for_load_state("load")  # the chart images decoded
                fonts = page.evaluate(CHART_FONT_JS)
                if url == "/wilayah/35.11.05" or role in ("dprd.bondowoso", "kadis.bondowoso"):
                    assert fonts, (role, url, "no chart on screen")
                small = [round(f, 1) for f in fonts if f < 11]
                if small:
                    failures.append(f"{role} {url} @390: chart labels {small}px")
            # the decisive column is on the phone's screen
            if url == "/tiket/":
                table = page.get_by_test_id("ticket-table")
                assert cell_on_screen(page, table, "Status", 390), role
                due = cell_on_screen(page, table, "Tenggat SLA", 390)
                assert due, role
            if url == "/aset/":
                assert cell_on_screen(page, page.locator("main table"), "Status", 390), role
            if url == "/blanko/penerimaan-tertunda" and role in (
                "camat.pujer",
                "petugas.bondowoso",
            ):
                amount = cell_on_screen(
                    page, page.locator("main table").first, "Jumlah dikirim", 390
                )
                assert re.fullmatch(r"[\d.]+( keping)?", amount), (role, amount)
        context.close()
    assert visited >= 90
    assert not failures, "\n".join(failures)


def test_the_navbar_collapses_to_a_menu_button_on_a_phone(page: Page, base_url, users):
    page.set_viewport_size(PHONE)
    login(page, base_url, "petugas", PASSWORD)
    toggle = page.get_by_test_id("nav-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text(re.compile("Menu"))
    expect(page.get_by_role("link", name="Tiket", exact=True)).to_be_hidden()
    box = toggle.bounding_box()
    assert box["height"] >= 44
    toggle.click()
    entry = page.get_by_role("link", name="Tiket", exact=True)
    expect(entry).to_be_visible()
    assert entry.bounding_box()["height"] >= 44
    assert_fits(page)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_petugas_works_a_ticket_to_selesai(page: Page, base_url, users, size):
    from tests.tickets.helpers import file_ticket

    ticket = file_ticket(users["camat"], title="Printer KTP-el macet")
    page.set_viewport_size(size)
    login(page, base_url, "petugas", PASSWORD)
    assert_fits(page, "beranda")

    nav_click(page, "Tiket")
    expect(page.get_by_role("heading", name="Tiket perbaikan")).to_be_visible()
    table = page.get_by_test_id("ticket-table")
    row = table.locator("tbody tr", has_text=ticket.number)
    expect(row.get_by_test_id("status-badge")).to_have_text("Baru")
    expect(row).to_contain_text("Printer KTP-el macet")
    assert cell_on_screen(page, table, "Status", size["width"]) == "Baru"
    assert_fits(page, "daftar tiket")

    row.get_by_role("link", name=ticket.number).click()
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)
    assert_fits(page, "tiket baru")
    steps = [
        ("diterima", "Terima tiket", None, "Diterima"),
        ("dikerjakan", "Mulai kerjakan", "Teknisi ke Pujer.", "Dikerjakan"),
        ("selesai", "Selesaikan", "Rol printer diganti, sudah diuji.", "Selesai"),
    ]
    for target, button, note, status in steps:
        form = page.get_by_test_id(f"step-{target}")
        if note:
            form.get_by_role("textbox").fill(note)
        submit = form.get_by_role("button", name=button)
        assert submit.bounding_box()["height"] >= (44 if size is PHONE else 30)
        submit.click()
        expect(page.get_by_test_id("status-badge")).to_have_text(status)
        assert_fits(page, f"tiket {status}")
    expect(page.get_by_test_id("timeline")).to_contain_text("Dikerjakan → Selesai")

    nav_click(page, "Tiket")
    page.get_by_role("combobox", name="Status").select_option("")
    page.get_by_role("button", name="Saring").click()
    row = page.get_by_test_id("ticket-table").locator("tbody tr", has_text=ticket.number)
    expect(row.get_by_test_id("status-badge")).to_have_text("Selesai")
    assert_fits(page, "daftar tiket, semua status")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_dprd_goes_from_the_dashboard_to_the_idle_list_to_the_asset(
    page: Page, base_url, users, size
):
    from tests.hearing.helpers import make_asset

    make_asset(
        "35.11.05",
        name="Printer kartu Evolis",
        category="cetak_ktp",
        price=49_990_000,
        status="tidak_digunakan",
    )
    make_asset("35.11.06", price=12_500_000)
    page.set_viewport_size(size)
    login(page, base_url, "dprd", PASSWORD)
    expect(page.get_by_role("heading", name="Beranda")).to_be_visible()
    value = page.get_by_test_id("value-idle_value").inner_text()
    assert value.startswith("Rp ") and value != "Rp 0"
    page.wait_for_load_state("load")
    fonts = page.evaluate(CHART_FONT_JS)
    assert fonts and min(fonts) >= (11 if size is PHONE else 9), fonts
    assert_fits(page, "beranda dprd")

    page.get_by_test_id("card-idle_value").click()
    expect(page).to_have_url(re.compile(r"/aset/menganggur\?region=35\.11$"))
    expect(page.get_by_role("heading", name="Aset menganggur")).to_be_visible()
    expect(page.get_by_test_id("idle-value")).to_have_text(value)
    idle_row = page.locator("main table tbody tr", has_text="Printer kartu Evolis")
    expect(idle_row.locator('[data-label="Alasan"]')).to_be_visible()
    # "Alasan" reads as words, not two letters a line
    assert idle_row.locator('[data-label="Alasan"]').bounding_box()["width"] > 150
    assert_fits(page, "aset menganggur")

    idle_row.get_by_role("link", name="Printer kartu Evolis").click()
    expect(page.get_by_test_id("asset-title")).to_have_text("Printer kartu Evolis")
    expect(page.get_by_text("Tidak digunakan").first).to_be_visible()
    assert_fits(page, "detail aset")

"""What the shell of the application shows of the domains, in a written order: the navigation,
the blocks of the home page and the lines of the "Perlu tindakan" inbox. (Region-page panels:
`regions.panels`.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str  # permission action (common.permissions) the user needs to see it
    group: str | None = None  # items sharing a group become one dropdown
    badge: str | None = None  # key of a count shown beside the label (`nav_badge`)


# In display order; a group's dropdown sits where its first item is.
NAV: tuple[NavItem, ...] = (
    NavItem("Perlu tindakan", "core.inbox", "inbox.view", badge="inbox"),
    NavItem("Wilayah", "regions.index", "regions.view"),
    NavItem("Aset", "assets.index", "assets.view"),
    NavItem("Aset menganggur", "assets.idle", "assets.view", "Layanan"),
    NavItem("Belum melapor", "assets.not_reported", "usage.reporting", "Layanan"),
    NavItem("Lapor harian", "field.daily", "daily.file", "Layanan"),
    NavItem("Pemakaian harian", "assets.usage_index", "assets.view", "Layanan"),
    NavItem("Papan layanan publik", "field.board_index", "board.manage", "Layanan"),
    NavItem("Cakupan perekaman", "assets.coverage_index", "assets.view", "Layanan"),
    NavItem("Kemungkinan gangguan", "notify.silent_list", "notify.silent", "Layanan"),
    NavItem("Inventarisasi", "inventory.index", "inventory.view", "Layanan"),
    NavItem("Tiket", "tickets.index", "tickets.view"),
    NavItem("Surat", "letters.index", "letters.view"),
    NavItem("Saldo per lokasi", "blanko.index", "blanko.view", "Blanko"),
    NavItem("Riwayat mutasi", "blanko.movements", "blanko.view", "Blanko"),
    NavItem("Penerimaan tertunda", "blanko.receipts", "blanko.receive", "Blanko"),
    NavItem("Persetujuan", "blanko.approvals", "blanko.approve", "Blanko"),
    NavItem("Peringatan stok", "blanko.alerts", "blanko.view", "Blanko"),
    NavItem("Tingkat kerusakan", "blanko.spoilage", "blanko.view", "Blanko"),
    NavItem("Stock opname", "blanko.opname", "blanko.write", "Blanko"),
    NavItem("Permintaan ke Ditjen", "blanko.requests", "blanko.view", "Blanko"),
    NavItem("Kesenjangan pelatihan", "training.gaps_matrix", "training.view", "Pelatihan"),
    NavItem("Sesi pelatihan", "training.trainings", "training.view", "Pelatihan"),
    NavItem("Operator", "training.operators", "training.view", "Pelatihan"),
    NavItem("Masa berlaku sertifikat", "training.settings", "training.settings", "Pelatihan"),
    NavItem("Ringkasan angka", "hearing.summary", "reports.view", "Laporan"),
    NavItem("Per kabupaten/kota", "hearing.kabkota", "reports.view", "Laporan"),
    NavItem("Arsip paket RDP", "hearing.archive", "reports.view", "Laporan"),
    NavItem("Buat paket RDP", "hearing.new", "reports.generate", "Laporan"),
    NavItem("Pengguna", "auth.users", "users.manage", "Admin"),
    NavItem("Log Audit", "audit.index", "audit.view", "Admin"),
    NavItem("SLA tiket", "tickets.sla_settings", "sla.manage", "Admin"),
    NavItem("Pengaturan surat", "letters.settings", "letters.settings", "Admin"),
    NavItem("Alamat publik", "core.public_address", "install.settings", "Admin"),
    NavItem("Pejabat penanda tangan", "officials.index", "officials.write", "Admin"),
    NavItem("Kotak keluar notifikasi", "notify.outbox", "notify.admin", "Admin"),
)


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable  # (user) -> dict | None; None hides the block


def home_sections() -> tuple[HomeSection, ...]:
    """The home page's blocks, top to bottom: what waits for the user, the DPRD dashboard,
    tickets, blanko."""
    from assets_app.blanko.home import home_context as blanko_home
    from assets_app.core.inbox import home_inbox
    from assets_app.hearing.dashboard import home_dashboard
    from assets_app.tickets.panels import home_tickets

    return (
        HomeSection("inbox", "core/_inbox.html", home_inbox),
        HomeSection("hearing_dashboard", "hearing/_home.html", home_dashboard),
        HomeSection("tickets", "tickets/_home.html", home_tickets),
        HomeSection("blanko", "blanko/_home.html", blanko_home),
    )


def nav_badge(key: str, user) -> int | None:
    """The count beside a menu entry (`NavItem.badge`); None shows no badge."""
    if key == "inbox":
        from sqlalchemy.exc import SQLAlchemyError

        from assets_app.core.inbox import inbox_for

        try:
            return inbox_for(user).total
        except SQLAlchemyError:  # an error page after a failed transaction: no badge
            return None
    return None


@dataclass(frozen=True)
class InboxLine:
    """One line of the "Perlu tindakan" inbox, as a domain contributes it: `count` is a
    `SELECT count(*) …` over exactly the rows the list at `url` shows (the same query
    function builds both), so the number and the list cannot disagree."""

    key: str
    label: str  # what waits, e.g. "Surat menunggu tanda tangan"
    count: object  # sa.Select of one integer column
    url: str
    hint: str = ""  # what to do with them
    # a SQL condition the line exists under, evaluated with the counts (e.g. "today is a
    # working day"): what the database holds decides, not the statement kept for the day
    when: object = None


def menu_count_providers() -> tuple[Callable, ...]:
    """Each domain's `menu_counts(user) -> list[(key, Select of one integer)]`: counts the
    layout shows beside the menu but outside the inbox (unread notifications). They run in
    the inbox's statement (`Inbox.menu_counts`), one query for the whole menu."""
    from assets_app.notify.queries import menu_counts as notify_counts

    return (notify_counts,)


def inbox_providers() -> tuple[Callable, ...]:
    """Each domain's `inbox_lines(user, now, today) -> list[InboxLine]` (`now` a bind
    parameter, `today` the WIB day: see core.inbox), in the inbox's order:
    letters to sign, hearing packets to approve, blanko (approvals, receipts, low stock), tickets,
    daily reports, inventarisasi waiting for the kadis."""
    from assets_app.assets.inbox import inbox_lines as assets_lines
    from assets_app.blanko.inbox import inbox_lines as blanko_lines
    from assets_app.hearing.inbox import inbox_lines as hearing_lines
    from assets_app.inventory.inbox import inbox_lines as inventory_lines
    from assets_app.letters.inbox import inbox_lines as letters_lines
    from assets_app.tickets.inbox import inbox_lines as tickets_lines

    return (
        letters_lines,
        hearing_lines,
        blanko_lines,
        tickets_lines,
        assets_lines,
        inventory_lines,
    )


def rollup_providers() -> tuple:
    """Each domain's daily rollup (`core.rollups.Rollup`), rebuilt and checked by
    `flask rollups`. A domain adds its entry here."""
    from assets_app.assets import status_cache
    from assets_app.assets.downtime import check_rollup, rebuild_rollup
    from assets_app.blanko import daily as blanko_daily
    from assets_app.blanko import window as blanko_window
    from assets_app.core.rollups import Rollup
    from assets_app.tickets import daily as ticket_daily

    return (
        # the register's cache of the latest status event (the downtime still open reads it)
        Rollup("assets_status", status_cache.rebuild, status_cache.check),
        Rollup("downtime_daily", rebuild_rollup, check_rollup),
        Rollup("blanko_daily", blanko_daily.rebuild, blanko_daily.check),
        # after blanko_daily: the closed days of the 30-day window, summed from its rows
        Rollup("blanko_window_use", blanko_window.rebuild, blanko_window.check),
        Rollup("ticket_daily", ticket_daily.rebuild, ticket_daily.check),
    )

"""What the shell of the application shows of the domains, in a written order: the navigation
and the blocks of the home page. (Region-page panels: `regions.panels`.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str  # permission action (common.permissions) the user needs to see it
    group: str | None = None  # items sharing a group become one dropdown


# In display order; a group's dropdown sits where its first item is.
NAV: tuple[NavItem, ...] = (
    NavItem("Wilayah", "regions.index", "regions.view"),
    NavItem("Aset", "assets.index", "assets.view"),
    NavItem("Aset menganggur", "assets.idle", "assets.view", "Layanan"),
    NavItem("Belum melapor", "assets.not_reported", "usage.reporting", "Layanan"),
    NavItem("Pemakaian harian", "assets.usage_index", "assets.view", "Layanan"),
    NavItem("Cakupan perekaman", "assets.coverage_index", "assets.view", "Layanan"),
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
    NavItem("Arsip paket RDP", "hearing.archive", "reports.view", "Laporan"),
    NavItem("Buat paket RDP", "hearing.new", "reports.generate", "Laporan"),
    NavItem("Pengguna", "auth.users", "users.manage", "Admin"),
    NavItem("Log Audit", "audit.index", "audit.view", "Admin"),
    NavItem("SLA tiket", "tickets.sla_settings", "sla.manage", "Admin"),
    NavItem("Pengaturan surat", "letters.settings", "letters.settings", "Admin"),
)


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable  # (user) -> dict | None; None hides the block


def home_sections() -> tuple[HomeSection, ...]:
    """The home page's blocks, top to bottom: the DPRD dashboard, tickets, blanko."""
    from assets_app.blanko.home import home_context as blanko_home
    from assets_app.hearing.dashboard import home_dashboard
    from assets_app.tickets.panels import home_tickets

    return (
        HomeSection("hearing_dashboard", "hearing/_home.html", home_dashboard),
        HomeSection("tickets", "tickets/_home.html", home_tickets),
        HomeSection("blanko", "blanko/_home.html", blanko_home),
    )

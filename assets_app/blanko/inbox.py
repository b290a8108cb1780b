"""The blanko lines of the "Perlu tindakan" inbox: write-offs and adjustments waiting for the
kadis's approval, transfers waiting for the camat's receipt, low-stock locations."""

from __future__ import annotations

from flask import url_for

from assets_app.blanko import queries, stats
from assets_app.common.permissions import can, define
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine

# Who is reminded of what (the actions themselves stay blanko.approve / blanko.receive).
define("blanko.inbox_receipts", "camat")
define("blanko.inbox_low_stock", "admin", "petugas")

LOW_STOCK = "blanko_low_stock"  # the line's key (the home page's blanko block reads it)

APPROVALS = (
    ("blanko_writeoffs", "rusak", "Penghapusan blanko rusak menunggu persetujuan"),
    ("blanko_adjustments", "penyesuaian", "Penyesuaian stok menunggu persetujuan"),
)


def inbox_lines(user, now, today) -> list[InboxLine]:
    lines = []
    if can(user, "blanko.approve"):
        for key, kind, label in APPROVALS:
            f = queries.MovementFilters(kind=kind, status="pending_approval")
            lines.append(
                InboxLine(
                    key,
                    label,
                    count_of(queries.movements_query(user, f)),
                    url_for("blanko.movements", kind=kind, status="pending_approval"),
                    "Setujui atau tolak dari halaman mutasi.",
                )
            )
    if can(user, "blanko.inbox_receipts") and can(user, "blanko.receive"):
        lines.append(
            InboxLine(
                "blanko_receipts",
                "Kiriman blanko menunggu konfirmasi terima",
                count_of(queries.pending_receipts_query(user)),
                url_for("blanko.receipts"),
                "Hitung kepingnya, lalu konfirmasi diterima.",
            )
        )
    if can(user, "blanko.inbox_low_stock"):
        lines.append(
            InboxLine(
                LOW_STOCK,
                "Lokasi dengan stok blanko rendah",
                count_of(stats.locations_stmt(user, today=today, only_low=True)),
                url_for("blanko.alerts"),
                "Kirim distribusi atau ajukan permintaan ke Ditjen.",
            )
        )
    return lines

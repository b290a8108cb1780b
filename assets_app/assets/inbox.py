"""The daily-report lines of the "Perlu tindakan" inbox (working days only): for the Dinas the
kecamatan that have not reported today's usage, for the camat their own report of today."""

from __future__ import annotations

from flask import url_for

from assets_app.assets.reporting import lagging_stmt
from assets_app.common.permissions import can, define
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine

define("usage.inbox_reporting", "admin", "petugas")
define("usage.inbox_own", "camat")


def inbox_lines(user, now, today) -> list[InboxLine]:
    from assets_app.tickets.queries import is_working_day  # tickets reads assets: a cycle

    if not is_working_day(today, user.region_code):  # the office calendar's day off
        return []
    day = today.isoformat()
    not_today = count_of(lagging_stmt(user, None, today, today, today))
    if can(user, "usage.inbox_reporting") and can(user, "usage.reporting"):
        return [
            InboxLine(
                "usage_not_reported",
                "Kecamatan belum melapor pemakaian hari ini",
                not_today,
                url_for("assets.not_reported", dari=day, sampai=day),
                "Hubungi kecamatan itu atau isikan laporannya.",
            )
        ]
    if can(user, "usage.inbox_own") and can(user, "usage.write"):
        return [
            InboxLine(
                "usage_own_not_filed",
                "Laporan pemakaian hari ini belum diisi",
                not_today,
                url_for("assets.usage_form", day=day),
                "Isi jumlah perekaman dan pencetakan hari ini.",
            )
        ]
    return []

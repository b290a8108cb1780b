"""The daily-report lines of the "Perlu tindakan" inbox (working days only): for the Dinas the
kecamatan that have not reported today's usage, for the camat their own report of today."""

from __future__ import annotations

from flask import url_for

from assets_app.assets.reporting import not_reported_today_stmt
from assets_app.common.permissions import can, define
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine

define("usage.inbox_reporting", "admin", "petugas")
define("usage.inbox_own", "camat")


def inbox_lines(user, now, today) -> list[InboxLine]:
    from assets_app.tickets.queries import working_day_clause  # tickets reads assets: a cycle

    day = today.isoformat()
    not_today = count_of(not_reported_today_stmt(user, today))
    # not on the office calendar's days off, as the database says when the count runs
    working = working_day_clause(today, user.region_code)
    if can(user, "usage.inbox_reporting") and can(user, "usage.reporting"):
        return [
            InboxLine(
                "usage_not_reported",
                "Kecamatan belum melapor pemakaian hari ini",
                not_today,
                url_for("assets.not_reported", dari=day, sampai=day),
                "Hubungi kecamatan itu atau isikan laporannya.",
                when=working,
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
                when=working,
            )
        ]
    return []

"""The hearing packets' line of the "Perlu tindakan" inbox: packets waiting for the kadis's
approval (prepared by someone else)."""

from __future__ import annotations

from flask import url_for

from assets_app.common.permissions import can
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine
from assets_app.hearing.queries import waiting_for_approval


def inbox_lines(user, now, today) -> list[InboxLine]:
    if not can(user, "reports.approve"):
        return []
    return [
        InboxLine(
            "hearing_to_approve",
            "Paket RDP menunggu persetujuan",
            count_of(waiting_for_approval(user)),
            url_for("hearing.archive", status="draf"),
            "Periksa isi paket lalu setujui di halaman paket.",
        )
    ]

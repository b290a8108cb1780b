"""The inventarisasi line of the "Perlu tindakan" inbox: results waiting for the kadis."""

from __future__ import annotations

from flask import url_for

from assets_app.common.permissions import can
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine
from assets_app.inventory.queries import sessions_stmt


def inbox_lines(user, now, today) -> list[InboxLine]:
    if not can(user, "inventory.confirm"):
        return []
    return [
        InboxLine(
            "inventory_to_confirm",
            "Inventarisasi menunggu konfirmasi",
            count_of(sessions_stmt(user, status="diajukan")),
            url_for("inventory.index", status="diajukan"),
            "Periksa hasilnya lalu konfirmasi; register aset diperbarui.",
        )
    ]

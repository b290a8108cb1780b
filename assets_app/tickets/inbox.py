"""The tickets' lines of the "Perlu tindakan" inbox: for the Dinas's handlers new and overdue
tickets; for the camat the tickets waiting for the kecamatan's answer."""

from __future__ import annotations

from flask import url_for

from assets_app.common.permissions import can, define
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine
from assets_app.tickets.queries import WAITING_KECAMATAN, tickets_query

define("tickets.inbox_handle", "admin", "petugas")
define("tickets.inbox_kecamatan", "camat")


def inbox_lines(user, now, today) -> list[InboxLine]:
    lines = []
    if can(user, "tickets.inbox_handle"):
        lines.append(
            InboxLine(
                "tickets_new",
                "Tiket baru belum diterima",
                count_of(tickets_query(user, status="baru", now=now)),
                url_for("tickets.index", status="baru"),
                "Terima dan tugaskan petugas.",
            )
        )
        lines.append(
            InboxLine(
                "tickets_overdue",
                "Tiket melewati batas waktu",
                count_of(tickets_query(user, status="terbuka", overdue=True, now=now)),
                url_for("tickets.overdue"),
                "Tangani lebih dulu; batas waktunya sudah lewat.",
            )
        )
    if can(user, "tickets.inbox_kecamatan"):
        lines.append(
            InboxLine(
                "tickets_waiting_kecamatan",
                "Tiket menunggu jawaban kecamatan",
                count_of(tickets_query(user, status=WAITING_KECAMATAN, now=now)),
                url_for("tickets.index", status=WAITING_KECAMATAN),
                "Tutup tiket yang sudah beres, atau buka kembali dengan alasan.",
            )
        )
    return lines

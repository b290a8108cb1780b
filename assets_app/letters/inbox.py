"""The letters' lines of the "Perlu tindakan" inbox: drafts waiting for the kadis's signature."""

from __future__ import annotations

from flask import url_for

from assets_app.common.permissions import can
from assets_app.core.inbox import count_of
from assets_app.core.registry import InboxLine
from assets_app.letters.queries import letters_query

TO_SIGN = {"direction": "keluar", "status": "draf"}  # the list filter of the line


def inbox_lines(user, now, today) -> list[InboxLine]:
    if not can(user, "letters.sign"):
        return []
    return [
        InboxLine(
            "letters_to_sign",
            "Surat menunggu tanda tangan",
            count_of(letters_query(user, **TO_SIGN)),
            url_for("letters.index", **TO_SIGN),
            "Draf surat keluar; buka surat lalu tanda tangani.",
        )
    ]

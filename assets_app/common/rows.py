"""Small row helpers shared by domains: a user's own row, a moment stamped once."""

from __future__ import annotations

from assets_app.common.errors import NotFound
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db


def own_row(model, row_id: int, user, message: str):
    """The `model` row `row_id` when its `user_id` is `user`'s; anyone else's or none: NotFound."""
    row = db.session.get(model, row_id)
    if row is None or row.user_id != user.id:
        raise NotFound(message)
    return row


def stamp_once(row, attr: str):
    """Sets `row.<attr>` to now unless already set (revoked, read), and returns the row."""
    if getattr(row, attr) is None:
        setattr(row, attr, utcnow())
        db.session.flush()
    return row


def differences(names, stored, recomputed, *, stored_word: str, source_word: str) -> str:
    """ "a tercatat 3, menurut buku mutasi 4; …": the fields where a stored row differs from
    its recomputation (the lines of the `check` commands)."""
    return "; ".join(
        f"{name} {stored_word} {s}, {source_word} {r}"
        for name, s, r in zip(names, stored, recomputed, strict=True)
        if s != r
    )

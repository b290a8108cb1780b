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

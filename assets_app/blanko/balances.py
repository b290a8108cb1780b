"""The balance rows, changed only by conditional UPDATEs.

Balances never go negative: stock leaves a location only through a conditional
`UPDATE blanko_balances … WHERE on_hand - reserved >= :q` whose row count is checked, which is
atomic on PostgreSQL (the row lock makes a racing transaction re-check the condition) and on
SQLite (one writer at a time). Balance rows are always locked in region-code order, so two
transfers in opposite directions cannot deadlock.
"""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.blanko.models import TRANSFER_KINDS, BlankoBalance
from assets_app.blanko.queries import Location, balance_of
from assets_app.common.errors import Conflict, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.timeutil import dialect, utcnow
from assets_app.extensions import db

_BAL = BlankoBalance.__table__
_CREATES_ROW = ("add", "expect", "lock")  # these may meet a location's first movement


def _ensure_balances(codes) -> None:
    """A balance row per location, created on first use (both databases, no race)."""
    if dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for code in sorted(set(codes)):
        values = {"region_code": code, "on_hand": 0, "in_transit_in": 0, "reserved": 0}
        db.session.execute(
            insert(_BAL)
            .values(**values, updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["region_code"])
        )


def _short(loc: Location, qty: int, action: str = "") -> ValidationFailed:
    bal = balance_of(loc.code)
    extra = (
        f" ({number(bal.reserved)} keping menunggu persetujuan penghapusan)" if bal.reserved else ""
    )
    return ValidationFailed(
        errors={
            "quantity": [
                f"Stok di {loc.label} tidak cukup{action}: tersedia {number(bal.available)}{extra}, "
                f"diminta {number(qty)}."
            ]
        }
    )


def _change(op: str, qty: int, qty2: int) -> tuple[tuple, dict]:
    """(conditions, new values) of one kind of balance change."""
    c = _BAL.c
    available = c.on_hand - c.reserved >= qty
    return {
        # cards leave: only what is available (not reserved)
        "take": ((available,), {"on_hand": c.on_hand - qty}),
        # pending write-off: still on hand, no longer available
        "reserve": ((available,), {"reserved": c.reserved + qty}),
        # approved: reserved cards leave
        "write_off": (
            (c.reserved >= qty, c.on_hand >= qty),
            {"on_hand": c.on_hand - qty, "reserved": c.reserved - qty},
        ),
        # rejected: reserved cards become available again
        "release": ((c.reserved >= qty,), {"reserved": c.reserved - qty}),
        "add": ((), {"on_hand": c.on_hand + qty}),
        # a transfer is on its way here
        "expect": ((), {"in_transit_in": c.in_transit_in + qty}),
        # qty was in transit, qty2 actually arrived
        "arrive": (
            (c.in_transit_in >= qty,),
            {"in_transit_in": c.in_transit_in - qty, "on_hand": c.on_hand + qty2},
        ),
        # no change: take the row lock before reading the balance
        "lock": ((), {}),
    }[op]


def apply(op: str, loc: Location, qty: int, qty2: int = 0, *, action: str = "") -> None:
    """One balance change, as a single conditional UPDATE; raises when it would go negative."""
    where, values = _change(op, qty, qty2)
    stmt = (
        sa.update(_BAL)
        .where(_BAL.c.region_code == loc.code, *where)
        .values(**values, updated_at=utcnow())
    )
    if db.session.execute(stmt).rowcount == 1:
        return
    if op in _CREATES_ROW:
        # First movement at this location: create its balance row, then apply again.
        _ensure_balances([loc.code])
        if db.session.execute(stmt).rowcount == 1:
            return
    if op in ("take", "reserve"):
        raise _short(loc, qty, action)
    raise Conflict(
        f"Saldo {loc.label} tidak sesuai dengan buku mutasi; jalankan `flask blanko check`."
    )


def move_balances(kind: str, src: Location | None, dst: Location | None, qty: int) -> None:
    """The balance changes of a new movement, in region-code order (the Dinas before its
    kecamatan), so two transfers in opposite directions never wait on each other crosswise."""
    for side in sorted((s for s in (src, dst) if s is not None), key=lambda s: s.code):
        if side is src:
            if kind in ("rusak", "penyesuaian"):
                action = " untuk mencatat kartu rusak" if kind == "rusak" else ""
                apply("reserve", src, qty, action=action)
            else:
                apply("take", src, qty)
        elif kind in TRANSFER_KINDS:
            apply("expect", dst, qty)
        elif kind == "penerimaan":
            apply("add", dst, qty)
        # a positive penyesuaian changes nothing until it is approved

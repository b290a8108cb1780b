"""Read-only questions other domains ask of the register (assets, status events, daily usage).

The public surface of the assets domain for reading: tickets, training, blanko and hearing
import this module (or `assets.services`), never `assets.models`. Each function returns plain
values or rows, already filtered the way the caller asked.
"""

from __future__ import annotations

# --- for tickets ---------------------------------------------------------------------------


# --- for training --------------------------------------------------------------------------


# --- for blanko ----------------------------------------------------------------------------


def ktp_printed_per_day(region_code: str, first, last) -> dict:
    """{day: cards printed (`UsageDay.cetak_ktp`, None when not reported)} of one location's
    daily usage reports in [first, last]: the register's side of the blanko usage check."""
    import sqlalchemy as sa

    from assets_app.assets.models import UsageDay
    from assets_app.extensions import db

    stmt = sa.select(UsageDay.day, UsageDay.cetak_ktp).where(
        UsageDay.region_code == region_code, UsageDay.day >= first, UsageDay.day <= last
    )
    return dict(db.session.execute(stmt).all())

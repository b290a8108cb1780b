"""Read-only questions other domains ask of the register (assets, status events, daily usage).

The public surface of the assets domain for reading: tickets, training, blanko and hearing
import this module (or `assets.services`), never `assets.models`. Each function returns plain
values or rows, already filtered the way the caller asked.
"""

from __future__ import annotations

# --- for tickets ---------------------------------------------------------------------------


def get_asset(asset_id: int | None):
    """The asset with this id, or None (also for an id that is not a number)."""
    from assets_app.assets.models import Asset
    from assets_app.extensions import db

    try:
        return db.session.get(Asset, int(asset_id)) if asset_id not in (None, "") else None
    except (TypeError, ValueError):
        return None


def assets_in_regions(codes: list[str], limit: int = 1000) -> list:
    """Assets still in the register in these regions, for a select box (one query)."""
    import sqlalchemy as sa

    from assets_app.assets.models import Asset
    from assets_app.extensions import db

    if not codes:
        return []
    return list(
        db.session.scalars(
            sa.select(Asset)
            .where(Asset.region_code.in_(codes), Asset.status != "dihapuskan")
            .order_by(Asset.region_code, Asset.name, Asset.register_no)
            .limit(limit)
        )
    )


def first_asset_in(region_code: str, categories) -> object | None:
    """The oldest asset of these categories still in the register in a region (demo data)."""
    import sqlalchemy as sa

    from assets_app.assets.models import Asset
    from assets_app.extensions import db

    return db.session.scalar(
        sa.select(Asset)
        .where(
            Asset.region_code == region_code,
            Asset.status != "dihapuskan",
            Asset.category.in_(categories),
        )
        .order_by(Asset.id)
        .limit(1)
    )


# --- for training --------------------------------------------------------------------------


# --- for blanko ----------------------------------------------------------------------------

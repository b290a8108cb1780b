"""Read-only questions other domains ask of the register (assets, status events, daily usage).

The public surface of the assets domain for reading: tickets, training, blanko and hearing
import this module (or `assets.services`), never `assets.models`. Each function returns plain
values or rows, already filtered the way the caller asked.
"""

from __future__ import annotations

# --- for tickets ---------------------------------------------------------------------------


# --- for training --------------------------------------------------------------------------


def held_by_region_category(categories, region_where):
    """(region_code, category, assets_count) of the assets not disposed, for these categories,
    grouped per region and category; `region_where(column)` filters the region code column
    (scope, subtree, a list of codes). A subquery."""
    import sqlalchemy as sa  # local imports: each section of this module has its own owner

    from assets_app.assets.models import Asset

    return (
        sa.select(
            Asset.region_code.label("region_code"),
            Asset.category.label("category"),
            sa.func.count().label("assets_count"),
        )
        .where(
            Asset.status != "dihapuskan",
            Asset.category.in_(list(categories)),
            region_where(Asset.region_code),
        )
        .group_by(Asset.region_code, Asset.category)
        .subquery("held")
    )


def idle_region_codes(region_codes, category: str | None = None) -> list[str]:
    """The codes among `region_codes` with an asset (of `category`) marked `tidak_digunakan`."""
    import sqlalchemy as sa

    from assets_app.assets.models import Asset
    from assets_app.extensions import db

    stmt = (
        sa.select(Asset.region_code)
        .distinct()
        .where(Asset.region_code.in_(list(region_codes)), Asset.status == "tidak_digunakan")
    )
    if category is not None:
        stmt = stmt.where(Asset.category == category)
    return sorted(db.session.scalars(stmt))


# --- for blanko ----------------------------------------------------------------------------

"""Reading officials: the list of a kab/kota, one official in scope."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.errors import NotFound
from assets_app.extensions import db
from assets_app.officials.models import Official
from assets_app.regions.scope import in_scope, scoped


def officials_stmt(user, region: str | None = None):
    stmt = sa.select(Official).order_by(Official.region_code, Official.name, Official.id)
    return scoped(stmt, Official.region_code, user, region=region)


def list_officials(user, region: str | None = None) -> list[Official]:
    return list(db.session.scalars(officials_stmt(user, region)))


def get_official(user, official_id: int) -> Official:
    official = db.session.get(Official, official_id)
    if official is None or not in_scope(user, official.region_code):
        raise NotFound("Pejabat tidak ditemukan.")
    return official

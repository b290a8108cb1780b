"""The audit log, read-only: the filtered list and the entity names to filter by."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from assets_app.audit.models import AuditLog
from assets_app.common.pagination import Page, paginate
from assets_app.common.timeutil import end_of_day, start_of_day
from assets_app.extensions import db
from assets_app.regions.scope import scope_clause


def list_entries(
    user,
    *,
    entity: str | None,
    actor: str | None,
    start: date | None,
    end: date | None,
    page: int,
    per_page: int,
) -> Page:
    """Newest first, inside the user's scope; the days are WIB days, both inclusive."""
    stmt = sa.select(AuditLog).order_by(AuditLog.id.desc())
    if user.region_code:
        stmt = stmt.where(scope_clause(AuditLog.region_code, user))
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if actor:
        stmt = stmt.where(AuditLog.actor.ilike(f"%{actor}%"))
    if start:
        stmt = stmt.where(AuditLog.at >= start_of_day(start))
    if end:
        stmt = stmt.where(AuditLog.at < end_of_day(end))
    return paginate(stmt, page, per_page)


def list_entities() -> list[str]:
    return list(db.session.scalars(sa.select(AuditLog.entity).distinct().order_by(AuditLog.entity)))

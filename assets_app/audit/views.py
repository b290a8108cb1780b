from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from assets_app.audit.models import AuditLog
from assets_app.common.formatting import WIB
from assets_app.common.pagination import page_args, paginate
from assets_app.common.permissions import require
from assets_app.extensions import db
from assets_app.regions.scope import scope_clause

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@login_required
@require("audit.view")
def index():
    page, per_page = page_args(50)
    f = {k: request.args.get(k, "").strip() for k in ("entity", "actor", "from", "to")}
    stmt = sa.select(AuditLog).order_by(AuditLog.id.desc())
    if current_user.region_code:
        stmt = stmt.where(scope_clause(AuditLog.region_code, current_user))
    if f["entity"]:
        stmt = stmt.where(AuditLog.entity == f["entity"])
    if f["actor"]:
        stmt = stmt.where(AuditLog.actor.ilike(f"%{f['actor']}%"))
    errors = []
    start, end = _day(f["from"]), _day(f["to"])
    if f["from"] and start is None:
        errors.append("Tanggal 'dari' tidak valid.")
    if f["to"] and end is None:
        errors.append("Tanggal 'sampai' tidak valid.")
    if start:
        stmt = stmt.where(AuditLog.at >= datetime.combine(start, time(), WIB))
    if end:
        stmt = stmt.where(AuditLog.at < datetime.combine(end + timedelta(days=1), time(), WIB))
    entities = list(
        db.session.scalars(sa.select(AuditLog.entity).distinct().order_by(AuditLog.entity))
    )
    return render_template(
        "audit/index.html",
        page=paginate(stmt, page, per_page),
        f=f,
        entities=entities,
        errors=errors,
    )

"""The archive of hearing packets, read-only: the list, one packet, a file's packet."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.errors import NotFound
from assets_app.common.pagination import Page, paginate
from assets_app.extensions import db
from assets_app.hearing.models import HearingReport
from assets_app.regions.scope import in_scope, scope_clause


def list_reports(user, page: int, per_page: int) -> Page:
    stmt = (
        sa.select(HearingReport)
        .where(scope_clause(HearingReport.region_code, user))
        .order_by(HearingReport.created_at.desc(), HearingReport.id.desc())
    )
    return paginate(stmt, page, per_page)


def get_report(report_id: int, user) -> HearingReport:
    report = db.session.get(HearingReport, report_id)
    if report is None or not in_scope(user, report.region_code):
        raise NotFound()
    return report


def get_by_token(token: str) -> HearingReport | None:
    if not token or len(token) > 40:
        return None
    return db.session.scalar(sa.select(HearingReport).where(HearingReport.token == token))


def find_by_hash(digest: str) -> tuple[HearingReport, str] | None:
    """The archived packet one of whose files has this SHA-256, and which file."""
    report = db.session.scalar(
        sa.select(HearingReport)
        .where(sa.or_(HearingReport.pdf_sha256 == digest, HearingReport.xlsx_sha256 == digest))
        .order_by(HearingReport.id)
        .limit(1)
    )
    if report is None:
        return None
    return report, ("pdf" if report.pdf_sha256 == digest else "xlsx")


def match_kind(report: HearingReport, digest: str) -> str | None:
    if digest == report.pdf_sha256:
        return "pdf"
    if digest == report.xlsx_sha256:
        return "xlsx"
    return None

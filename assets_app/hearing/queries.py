"""The archive of hearing packets, read-only: the list, one packet, a file's packet."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.errors import NotFound
from assets_app.common.pagination import Page, paginate
from assets_app.extensions import db
from assets_app.hearing.models import HearingApproval, HearingReport
from assets_app.regions.scope import in_scope, scope_clause


def reports_query(user, status: str | None = None) -> sa.Select:
    """Packets in the user's scope, newest first; `status` "draf" (not approved yet) or
    "disetujui"."""
    stmt = (
        sa.select(HearingReport)
        .where(scope_clause(HearingReport.region_code, user))
        .order_by(HearingReport.created_at.desc(), HearingReport.id.desc())
    )
    approved = sa.exists().where(HearingApproval.report_id == HearingReport.id)
    if status == "disetujui":
        stmt = stmt.where(approved)
    elif status == "draf":
        stmt = stmt.where(~approved)
    return stmt


def list_reports(user, page: int, per_page: int, status: str | None = None) -> Page:
    return paginate(reports_query(user, status), page, per_page)


def waiting_for_approval(user) -> sa.Select:
    """Drafts the user may approve: in scope, not approved, not prepared by the user."""
    return reports_query(user, "draf").where(
        sa.or_(HearingReport.author_id.is_(None), HearingReport.author_id != user.id)
    )


def approval_of(report: HearingReport) -> HearingApproval | None:
    return db.session.scalar(
        sa.select(HearingApproval).where(HearingApproval.report_id == report.id)
    )


def approvals_for(reports) -> dict[int, HearingApproval]:
    """{report id: approval} for the packets given, one query."""
    ids = [r.id for r in reports]
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(HearingApproval).where(HearingApproval.report_id.in_(ids)))
    return {a.report_id: a for a in rows}


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

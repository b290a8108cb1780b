"""Reporting as a fact of its own: which kecamatan filed a daily usage report, and when.

A kecamatan *reported* for a day when a `UsageDay` row exists for it and that day (even with
all counts zero); without a row it is *unreported* for that day — nothing is known about its
use. Working days are those of the Dinas office calendar (the SLA calendar kept at
`/admin/sla`: its working weekdays, Monday–Friday by default, without its holidays).

The service points are the kecamatan and the Dinas office (the kab/kota) — the Dinas only
where it holds service equipment (recording or printing, not disposed), since only there is a
daily report expected of it (`USAGE_REGION_LEVELS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from assets_app.assets.idle import SERVICE_OF_CATEGORY
from assets_app.assets.models import Asset, UsageDay
from assets_app.common.built import built, user_key
from assets_app.common.pagination import Page
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import scoped


def working_days(start: date, end: date, region_code: str | None = None) -> list[date]:
    """The working days in [start, end], inclusive, of the office calendar of the kab/kota
    `region_code` lies in (holidays left out; above kab/kota level the default calendar
    with national holidays only)."""
    from assets_app.tickets.queries import is_working_day, office_calendar  # a cycle

    if start == end:  # one day (the inbox, "belum melapor hari ini"): one small query
        return [start] if is_working_day(start, region_code) else []
    weekdays, holidays = office_calendar(region_code)
    days, d = [], start
    while d <= end:
        if d.weekday() in weekdays and d not in holidays:
            days.append(d)
        d += timedelta(days=1)
    return days


@dataclass(frozen=True)
class ReportingStat:
    """Daily usage reporting of one service point (a kecamatan or the Dinas) over a period.

    - reported_days — "Hari melapor" (hari): working days in the period with a usage report;
    - working_days — "Hari kerja" (hari): working days of the office calendar in the period
      (up to today; holidays excluded);
    - reporting_pct — "Kepatuhan melapor" (%): reported_days ÷ working_days × 100, a period
      figure; None when the period has no working day;
    - last_report — "Laporan terakhir": the latest day with a report up to the period end
      (any day of the week), None when it never reported (a moment figure);
    - reported_today — whether it reported for `today`.
    """

    region_code: str
    name: str
    level: str  # "kecamatan", or "kabkota" for the Dinas office
    reported_days: int
    working_days: int
    last_report: date | None
    reported_today: bool

    @property
    def reporting_pct(self) -> float | None:
        return round(self.reported_days * 100 / self.working_days, 2) if self.working_days else None


def _stmt(user, region_code, start: date, end: date, today: date, codes=None):
    """(SELECT code, name, reported days, last report, reported today of the kecamatan in
    scope, and among `codes` when given; expected working days; the reported-days column;
    the reports subquery), kept per user, period and working days (`common.built`)."""
    end = min(end, today)
    days = working_days(start, end, region_code or getattr(user, "region_code", None))
    key = ("reporting", *user_key(user), region_code, start, end, today, tuple(days))
    kept = built(key, lambda: _build_stmt(user, region_code, start, end, today, days))
    if codes is None:
        return kept
    # a panel's few regions change little between requests
    stmt, *rest = kept
    return built((*key, tuple(codes)), lambda: stmt.where(Region.code.in_(codes))), *rest


def _build_stmt(user, region_code, start: date, end: date, today: date, days: list[date]):
    u = UsageDay
    # the rows of the period (and today) only: the latest report is a probe per service
    # point (`last`), not a read of the whole history
    reports = (
        scoped(
            sa.select(
                u.region_code.label("rc"),
                sa.func.sum(sa.case((u.day.in_(days), 1), else_=0)).label("n"),
                sa.func.max(sa.case((u.day == today, 1), else_=0)).label("today"),
            ),
            u.region_code,
            user,
            region_code,
        )
        .where(
            # one day (the inbox, "belum melapor hari ini") as an equality, which the index
            # (day, region_code) serves for a kab/kota's range of codes
            u.day == today if start >= today else sa.and_(u.day >= start, u.day <= today)
        )
        .group_by(u.region_code)
        .subquery("reports")
    )
    u2 = sa.orm.aliased(UsageDay)
    last = (
        sa.select(sa.func.max(u2.day))
        .where(u2.region_code == Region.code, u2.day <= end)
        .correlate(Region)
        .scalar_subquery()
    )
    n = sa.func.coalesce(reports.c.n, 0)
    # a probe of the region's assets per Dinas row (`LIMIT 1`, not EXISTS: PostgreSQL hashed
    # an EXISTS under OR over every service asset of the installation)
    serves = (
        sa.select(sa.literal(1))
        .where(
            Asset.region_code == Region.code,
            Asset.category.in_(SERVICE_OF_CATEGORY),
            Asset.status != "dihapuskan",
        )
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )
    stmt = (
        sa.select(
            Region.code,
            Region.name,
            Region.level,
            n.label("n"),
            last.label("last"),
            reports.c.today,
        )
        .outerjoin(reports, reports.c.rc == Region.code)
        .where(sa.or_(Region.level == "kecamatan", sa.and_(Region.level == "kabkota", serves)))
    )
    return scoped(stmt, Region.code, user, region_code), len(days), n, reports


def _stat(row, expected: int) -> ReportingStat:
    code, name, level, n, last, today_flag = row
    if isinstance(last, str):
        last = date.fromisoformat(last)
    return ReportingStat(code, name, level, int(n or 0), expected, last, bool(today_flag))


def reporting_by_region(
    user,
    region_code: str | None,
    start: date,
    end: date,
    today: date | None = None,
    *,
    codes: list[str] | None = None,
) -> dict[str, ReportingStat]:
    """{code: ReportingStat} for every service point in scope (and under `region_code`, and
    among `codes` when given: a panel's few regions): each kecamatan, and the Dinas where it
    holds service equipment; over [start, end] (days after `today` are not expected). One
    query."""
    today = today or today_wib()
    stmt, expected, _, _ = _stmt(user, region_code, start, end, today, codes)
    return {r[0]: _stat(r, expected) for r in db.session.execute(stmt).all()}


@dataclass(frozen=True)
class NotReported:
    """The "Belum melapor" page: one Page of ReportingStat, and the headline counts."""

    page: Page
    not_today: int  # service points without a report for today
    kecamatan: int  # service points in the area (kecamatan, and the Dinas where it serves)
    reported_days: int  # summed over the area's service points
    expected_days: int

    @property
    def reporting_pct(self) -> float | None:
        """Reported days ÷ expected working days of all kecamatan (not an average)."""
        if not self.expected_days:
            return None
        return round(self.reported_days * 100 / self.expected_days, 2)


def _missing_today(reports):
    return sa.func.coalesce(reports.c.today, 0) == 0


def _lagging(stmt, expected: int, n, reports):
    return stmt.where(sa.or_(_missing_today(reports), n < expected))


def not_reported_today_stmt(user, today: date) -> sa.Select:
    """The kecamatan the "Belum melapor" page lists for today alone (those that have not
    reported today), built as on a working day without asking the calendar: the inbox asks
    it in SQL (`tickets.queries.working_day_clause`)."""
    stmt, expected, n, reports = _build_stmt(user, None, today, today, today, [today])
    return _lagging(stmt, expected, n, reports)


def not_reported_page(
    user, region_code, start: date, end: date, page: int, per_page: int, today=None
) -> NotReported:
    """Kecamatan that did not report today or missed a working day of [start, end], worst
    first (fewest reported days, then code); with the area's totals. Three queries."""
    today = today or today_wib()
    stmt, expected, n, reports = _stmt(user, region_code, start, end, today)
    missing_today = _missing_today(reports)
    totals = db.session.execute(
        stmt.with_only_columns(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((missing_today, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(n), 0),
        )
    ).one()
    kecamatan, not_today, reported = (int(x or 0) for x in totals)
    lagging = _lagging(stmt, expected, n, reports)
    total = db.session.scalar(lagging.with_only_columns(sa.func.count()))
    page = min(max(page, 1), max(1, -(-(total or 0) // per_page)))
    rows = db.session.execute(
        lagging.order_by(n, Region.code).limit(per_page).offset((page - 1) * per_page)
    )
    items = [_stat(r, expected) for r in rows]
    return NotReported(
        page=Page(items=items, total=total or 0, page=page, per_page=per_page),
        not_today=not_today,
        kecamatan=kecamatan,
        reported_days=reported,
        expected_days=expected * kecamatan,
    )

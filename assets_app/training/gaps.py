"""The "no trained operator" gap: per region (kecamatan, or the Dinas) and equipment category.

A region *holds* a category when it has at least one asset of it that is not disposed
(`status != 'dihapuskan'`); categories without a skill (`pendukung`) are ignored. An operator
*covers* a category when they are active, sit in that region, and have a passed attendance
whose certificate includes the topic with `valid_until >= today` (inclusive).

Every function here is one or two SQL aggregates whatever the number of kecamatan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from assets_app.assets import queries as register
from assets_app.common import vocab
from assets_app.common.built import built, user_key
from assets_app.common.pagination import Page
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, level_of
from assets_app.regions.scope import scope_clause, subtree_clause
from assets_app.training.models import Attendance, CertificateTopic, Operator

TOPICS = tuple(vocab.TRAINING_TOPIC)
EXPIRY_WARNING_DAYS = 60
_TOPIC_ORDER = {t: i for i, t in enumerate(TOPICS)}
UNTRAINED_REASON = "tidak ada operator terlatih"


@dataclass(frozen=True)
class GapRow:
    """One held (region, category) cell of the matrix.

    status: "red" (no operator with a valid certificate), "amber" (some, but every one of
    their certificates ends within 60 days), "ok".
    """

    region_code: str
    region_name: str
    region_level: str
    category: str
    category_label: str
    assets_count: int
    valid_operators: int
    latest_valid_until: date | None
    status: str

    @property
    def is_gap(self) -> bool:
        return self.status == "red"

    def as_dict(self) -> dict:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "region_level": self.region_level,
            "category": self.category,
            "assets_count": self.assets_count,
            "valid_operators": self.valid_operators,
            "latest_valid_until": (
                self.latest_valid_until.isoformat() if self.latest_valid_until else None
            ),
            "status": self.status,
        }


def _region_name(name: str, level: str) -> str:
    if level == "kecamatan":
        return f"Kec. {name}"
    if level == "kabkota":
        return f"Dinas ({name})"
    return name


def _held(region_where, topics=TOPICS, *, cte: bool = False):
    """Categories held per region (the register's count), `region_where(column)` applied."""
    return register.held_by_region_category(topics, region_where, cte=cte)


def _where(user, region_code: str | None, codes: list[str] | None = None):
    """The region filter of a column: inside the user's scope and `region_code`'s subtree
    (and among `codes`, when given)."""

    def where(column):
        clause = scope_clause(column, user)
        if region_code:
            clause = sa.and_(clause, subtree_clause(column, region_code))
        return sa.and_(clause, column.in_(codes)) if codes is not None else clause

    return where


def _valid(today: date, where, *columns) -> sa.Select:
    """`columns` over the certificates that count on `today`: passed, issued by then,
    `valid_until >= today` (inclusive), held by an active operator; `where` applied."""
    return (
        sa.select(*columns)
        .select_from(CertificateTopic)
        .join(Operator, Operator.id == CertificateTopic.operator_id)
        .join(Attendance, Attendance.id == CertificateTopic.attendance_id)
        .where(
            Attendance.passed.is_(True),
            Operator.active.is_(True),
            CertificateTopic.valid_until >= today,
            sa.or_(Attendance.issued_on.is_(None), Attendance.issued_on <= today),
            where,
        )
    )


def _coverage(where, today: date) -> sa.Subquery:
    """Per region and topic: the active operators holding a valid certificate, and the
    latest end among those certificates."""
    stmt = _valid(
        today,
        where,
        Operator.region_code.label("region_code"),
        CertificateTopic.topic.label("topic"),
        sa.func.count(sa.distinct(Operator.id)).label("operators"),
        sa.func.max(CertificateTopic.valid_until).label("latest"),
    ).group_by(Operator.region_code, CertificateTopic.topic)
    return stmt.subquery("coverage")


def gaps_stmt(
    user,
    region_code: str | None = None,
    today: date | None = None,
    *,
    status: str | None = None,
    category: str | None = None,
    codes: list[str] | None = None,
) -> sa.Select:
    """Rows of every held (region, category) cell inside the user's scope (and `region_code`'s
    subtree when given), with its status: "red" (no operator with a valid certificate),
    "amber" (every one ends within 60 days), "ok"; ordered by region code then topic.
    `status` and `category` filter the cells (the API's list), `codes` the regions (a page
    of the matrix)."""
    today = today or today_wib()
    key = (*user_key(user), region_code, today, status, category)
    return built(
        ("gaps", *key, None if codes is None else tuple(codes)),
        lambda: _gaps_stmt(user, region_code, today, status, category, codes),
    )


def _gaps_stmt(user, region_code, today: date, status, category, codes) -> sa.Select:
    region_where = _where(user, region_code, codes)
    held = _held(region_where, (category,) if category else TOPICS)
    cov = _coverage(region_where(Operator.region_code), today)
    stmt = _cells(held, cov, today)
    return stmt.where(stmt.selected_columns.status == status) if status else stmt


def _cell_status(cov, today: date):
    return sa.case(
        (cov.c.operators.is_(None), "red"),
        (cov.c.latest <= today + timedelta(days=EXPIRY_WARNING_DAYS), "amber"),
        else_="ok",
    )


def _on_cell(held, cov):
    return sa.and_(cov.c.region_code == held.c.region_code, cov.c.topic == held.c.category)


def _status_cells(held, cov, today: date) -> sa.Subquery:
    """(region_code, status) of every cell, without the region's name: what the overview
    counts."""
    return (
        sa.select(held.c.region_code, _cell_status(cov, today).label("status"))
        .outerjoin(cov, _on_cell(held, cov))
        .subquery("cells")
    )


def _cells(held, cov, today: date) -> sa.Select:
    """The matrix cells of `held` (categories per region) against `cov` (valid coverage)."""
    cell_status = _cell_status(cov, today)
    return (
        sa.select(
            held.c.region_code,
            Region.name,
            Region.level,
            held.c.category,
            held.c.assets_count,
            sa.func.coalesce(cov.c.operators, 0),
            cov.c.latest,
            cell_status.label("status"),
        )
        .join(Region, Region.code == held.c.region_code)
        .outerjoin(cov, _on_cell(held, cov))
        .order_by(held.c.region_code, sa.case(_TOPIC_ORDER, value=held.c.category))
    )


def gap_rows(rows) -> list[GapRow]:
    """The cells of `gaps_stmt` rows."""
    return [
        GapRow(
            region_code=code,
            region_name=_region_name(name, level),
            region_level=level,
            category=cat,
            category_label=vocab.label(vocab.TRAINING_TOPIC, cat),
            assets_count=int(n_assets),
            valid_operators=int(n_ops),
            latest_valid_until=latest,
            status=status,
        )
        for code, name, level, cat, n_assets, n_ops, latest, status in rows
    ]


def training_gaps(user, region_code: str | None = None, today: date | None = None) -> list[GapRow]:
    """Every held (region, category) cell inside the user's scope (and `region_code`'s
    subtree when given), red/amber/ok, ordered by region code then topic. One query."""
    return gap_rows(db.session.execute(gaps_stmt(user, region_code, today)))


def matrix_of(rows: list[GapRow]) -> dict:
    """The gaps page: `matrix` (per region, its cells by category), `gap_list` (the regions
    with red cells, and those cells) and `totals` (cells per status)."""
    matrix: dict[str, dict] = {}
    for r in rows:
        entry = matrix.setdefault(
            r.region_code, {"code": r.region_code, "name": r.region_name, "cells": {}}
        )
        entry["cells"][r.category] = r
    gap_list = [
        (m, [c for c in m["cells"].values() if c.is_gap])
        for m in matrix.values()
        if any(c.is_gap for c in m["cells"].values())
    ]
    totals = {s: sum(1 for r in rows if r.status == s) for s in ("red", "amber", "ok")}
    return {"matrix": list(matrix.values()), "gap_list": gap_list, "totals": totals}


def gap_overview(user, region_code: str | None = None, today: date | None = None) -> dict:
    """What the gaps page says of the whole area, counted in SQL (a national matrix has
    38,000 cells): `totals` (cells per status), `regions` (regions with a held cell: the rows
    of the matrix) and `gap_regions` (those with a red cell). One query."""
    today = today or today_wib()
    region_where = _where(user, region_code)
    held, cov = _held(region_where), _coverage(region_where(Operator.region_code), today)
    return _overview_of(db.session.execute(_overview_stmt(_status_cells(held, cov, today))).one())


_STATUSES = ("red", "amber", "ok")


def _overview_stmt(cells, *lead) -> sa.Select:
    """One row: (`lead`,) cells per status, regions with a cell, regions with a red cell."""
    return sa.select(
        *lead,
        *(
            sa.func.coalesce(sa.func.sum(sa.case((cells.c.status == s, 1), else_=0)), 0)
            for s in _STATUSES
        ),
        sa.func.count(sa.distinct(cells.c.region_code)),
        sa.func.count(sa.distinct(sa.case((cells.c.status == "red", cells.c.region_code)))),
    )


def _overview_of(row) -> dict:
    return {
        "totals": dict(zip(_STATUSES, (int(n) for n in row[:3]), strict=True)),
        "regions": int(row[3]),
        "gap_regions": int(row[4]),
    }


class MatrixPage(NamedTuple):
    page: Page  # regions in code order, each with its cells
    gap_list: list  # the red cells of the page's regions
    overview: dict  # the whole area's `gap_overview`
    plan: list  # the whole area's `plan_summary`


def matrix_page(
    user, region_code: str | None, today: date | None, page: int, per_page: int
) -> MatrixPage:
    """One page of the gaps matrix with the whole area's overview and training plan summary.
    The page's regions are found from the register's held categories; only their cells are
    built, and the overview and the plan come from one query (`gap_figures`).

    An area whose every asset-holding region fits on the first page (a kab/kota: its
    kecamatan and the Dinas) is one query of all its cells, the overview counted from them:
    the same numbers as the SQL overview, two queries fewer."""
    today = today or today_wib()
    area = region_code or getattr(user, "region_code", None)
    small = page == 1 and area is not None and level_of(area) != "provinsi"
    if small and register.holding_regions_count(_where(user, region_code)) <= per_page:
        rows = gap_rows(db.session.execute(gaps_stmt(user, region_code, today)).all())
        shown = matrix_of(rows)
        overview = {
            "totals": shown["totals"],
            "regions": len(shown["matrix"]),
            "gap_regions": len(shown["gap_list"]),
        }
        found = Page(shown["matrix"], overview["regions"], 1, per_page)
        return MatrixPage(
            found, shown["gap_list"], overview, plan_summary(user, region_code, today)
        )
    overview, plan = gap_figures(user, region_code, today)
    last = max(1, -(-overview["regions"] // per_page))
    page = min(max(page, 1), last)
    codes = register.holding_region_codes(
        TOPICS, _where(user, region_code), per_page, (page - 1) * per_page
    )
    rows = gap_rows(db.session.execute(gaps_stmt(user, region_code, today, codes=codes)).all())
    shown = matrix_of(rows)
    found = Page(shown["matrix"], overview["regions"], page, per_page)
    return MatrixPage(found, shown["gap_list"], overview, plan)


def gap_counts(user, region_code: str | None = None, today: date | None = None) -> dict[str, int]:
    """Number of red cells (categories without a trained operator) per region code, counted
    in SQL over `gaps_stmt` (one query; a national matrix has 38,000 cells)."""
    cells = gaps_stmt(user, region_code, today, status="red").order_by(None).subquery("cells")
    stmt = sa.select(cells.c.region_code, sa.func.count()).group_by(cells.c.region_code)
    return {code: int(n) for code, n in db.session.execute(stmt).all()}


def _pairs_stmt(chunk: tuple[str, ...], today: date) -> sa.Select:
    held = _held(lambda column: column.in_(chunk))
    cov = _coverage(Operator.region_code.in_(chunk), today)
    return (
        sa.select(held.c.region_code, held.c.category)
        .outerjoin(
            cov, sa.and_(cov.c.region_code == held.c.region_code, cov.c.topic == held.c.category)
        )
        .where(cov.c.operators.is_(None))
    )


def gap_pairs(region_codes: Iterable[str], today: date | None = None) -> set[tuple[str, str]]:
    """The red (region_code, category) pairs among exactly these regions (no scope: callers
    pass codes they already may see). One query per 500 codes."""
    today = today or today_wib()
    codes = sorted({c for c in region_codes if c})
    out: set[tuple[str, str]] = set()
    for i in range(0, len(codes), 500):
        chunk = tuple(codes[i : i + 500])
        stmt = built(("gap_pairs", chunk, today), lambda chunk=chunk: _pairs_stmt(chunk, today))
        out.update((code, cat) for code, cat in db.session.execute(stmt).all())
    return out


def untrained_reason_for_assets(assets: Iterable, today: date | None = None) -> dict[int, str]:
    """{asset.id: "tidak ada operator terlatih"} for each asset whose region has no operator
    with a valid certificate for its category. Accepts Asset objects or anything with `id`,
    `region_code` and `category`. One query (per 500 regions)."""
    assets = list(assets)
    gaps = gap_pairs({a.region_code for a in assets}, today)
    return {a.id: UNTRAINED_REASON for a in assets if (a.region_code, a.category) in gaps}


def trained_operator_counts(
    user, region_code: str | None = None, today: date | None = None
) -> dict[str, int]:
    """{region_code: active operators holding at least one valid certificate}, for every
    kecamatan in the scope/subtree (0 included) and any other region that has some. One query."""
    today = today or today_wib()
    where = _where(user, region_code)(Operator.region_code)
    region_where = sa.and_(_where(user, region_code)(Region.code), Region.level == "kecamatan")
    counts = (
        _valid(
            today,
            where,
            Operator.region_code.label("region_code"),
            sa.func.count(sa.distinct(Operator.id)).label("n"),
        )
        .group_by(Operator.region_code)
        .subquery("counts")
    )
    kec = sa.select(Region.code.label("code")).where(region_where).subquery("kec")
    # FULL OUTER JOIN is not portable to older SQLite; a UNION of the two sides is.
    stmt = sa.union_all(
        sa.select(kec.c.code, sa.func.coalesce(counts.c.n, 0)).outerjoin(
            counts, counts.c.region_code == kec.c.code
        ),
        sa.select(counts.c.region_code, counts.c.n).where(
            counts.c.region_code.not_in(sa.select(kec.c.code))
        ),
    )
    return {code: int(n) for code, n in db.session.execute(stmt).all()}


def valid_topics_for_operators(
    operator_ids: Iterable[int], today: date | None = None
) -> dict[int, list[tuple[str, date]]]:
    """{operator_id: [(topic, latest valid_until)]} of currently valid certificates. One query."""
    today = today or today_wib()
    ids = sorted(set(operator_ids))
    if not ids:
        return {}
    stmt = (
        sa.select(
            CertificateTopic.operator_id,
            CertificateTopic.topic,
            sa.func.max(CertificateTopic.valid_until),
        )
        .join(Attendance, Attendance.id == CertificateTopic.attendance_id)
        .where(
            CertificateTopic.operator_id.in_(ids),
            Attendance.passed.is_(True),
            CertificateTopic.valid_until >= today,
        )
        .group_by(CertificateTopic.operator_id, CertificateTopic.topic)
    )
    out: dict[int, list[tuple[str, date]]] = {}
    for oid, topic, until in db.session.execute(stmt).all():
        out.setdefault(oid, []).append((topic, until))
    for lst in out.values():
        lst.sort(key=lambda r: TOPICS.index(r[0]))
    return out


# --- expiring certificates -----------------------------------------------------------------


@dataclass(frozen=True)
class ExpiringCertificate:
    operator_id: int
    operator_name: str
    region_code: str
    region_name: str
    topic: str
    topic_label: str
    valid_until: date
    days_left: int


def expiring_certificates_stmt(
    user, region_code: str | None, within_days: int, today: date
) -> sa.Select:
    """Per active operator and topic, the latest valid certificate when it ends within
    `within_days` (a newer certificate for the same topic hides an older one)."""
    where = _where(user, region_code)(Operator.region_code)
    latest = sa.func.max(CertificateTopic.valid_until)
    per = (Operator.id, Operator.name, Operator.region_code, Region.name, Region.level)
    return (
        sa.select(*per, CertificateTopic.topic, latest.label("valid_until"))
        .join(CertificateTopic, CertificateTopic.operator_id == Operator.id)
        .join(Attendance, Attendance.id == CertificateTopic.attendance_id)
        .join(Region, Region.code == Operator.region_code)
        .where(Attendance.passed.is_(True), Operator.active.is_(True), where)
        .group_by(*per, CertificateTopic.topic)
        .having(latest >= today, latest <= today + timedelta(days=within_days))
        .order_by(latest, Operator.region_code, Operator.name, CertificateTopic.topic)
    )


def expiring_rows(rows, today: date) -> list[ExpiringCertificate]:
    return [
        ExpiringCertificate(
            operator_id=oid,
            operator_name=name,
            region_code=code,
            region_name=_region_name(rname, level),
            topic=topic,
            topic_label=vocab.label(vocab.TRAINING_TOPIC, topic),
            valid_until=until,
            days_left=(until - today).days,
        )
        for oid, name, code, rname, level, topic, until in rows
    ]


# --- training plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """An operator to invite for a topic — or, with operator_id None, a region that holds the
    equipment but has no active operator at all (someone must be appointed first)."""

    topic: str
    region_code: str
    region_name: str
    operator_id: int | None
    operator_name: str | None
    position: str | None
    reason: str  # belum_pernah | kedaluwarsa | segera_berakhir | tanpa_operator
    reason_label: str
    valid_until: date | None
    closes_gap: bool = False  # the region has nobody with a valid certificate for the topic


PLAN_REASONS = {
    "tanpa_operator": "belum ada operator aktif",
    "belum_pernah": "belum pernah bersertifikat",
    "kedaluwarsa": "sertifikat kedaluwarsa",
    "segera_berakhir": "sertifikat segera berakhir",
}


def training_plan_stmt(
    user, region_code: str | None, today: date, topic: str | None = None
) -> sa.Select:
    """Rows (topic, region, operator…, latest valid_until ever) for every held category:
    each active operator of the region whose certificate for it is missing, expired or ends
    within 60 days, and a row without operator where the region has no active operator."""
    region_where = _where(user, region_code)
    held = _held(region_where, (topic,) if topic else TOPICS)
    cov = _coverage(region_where(Operator.region_code), today)
    best = _best(region_where)
    region_gap = cov.c.operators.is_(None)
    topic_order = sa.case(_TOPIC_ORDER, value=held.c.category)
    stmt = (
        sa.select(
            held.c.category.label("topic"),
            held.c.region_code.label("region_code"),
            Region.name.label("region_name"),
            Region.level.label("region_level"),
            Operator.id.label("operator_id"),
            Operator.name.label("operator_name"),
            Operator.position.label("position"),
            best.c.latest.label("latest"),
            sa.case((region_gap, 1), else_=0).label("region_gap"),
        )
        .join(Region, Region.code == held.c.region_code)
        .outerjoin(
            cov, sa.and_(cov.c.region_code == held.c.region_code, cov.c.topic == held.c.category)
        )
    )
    # Regions without any trained operator first: inviting them closes a gap.
    return _to_invite(stmt, held, best, today).order_by(
        topic_order,
        sa.case((region_gap, 0), else_=1),
        held.c.region_code,
        Operator.name,
        Operator.id,
    )


def _best(region_where) -> sa.Subquery:
    """Per operator of the area and topic, the latest end of a passed certificate (only the
    area's: a kab/kota need not group the whole installation's certificates)."""
    return (
        sa.select(
            CertificateTopic.operator_id.label("operator_id"),
            CertificateTopic.topic.label("topic"),
            sa.func.max(CertificateTopic.valid_until).label("latest"),
        )
        .join(Attendance, Attendance.id == CertificateTopic.attendance_id)
        .join(Operator, Operator.id == CertificateTopic.operator_id)
        .where(Attendance.passed.is_(True), region_where(Operator.region_code))
        .group_by(CertificateTopic.operator_id, CertificateTopic.topic)
        .subquery("best")
    )


def _to_invite(stmt: sa.Select, held, best, today: date) -> sa.Select:
    """`stmt` (from `held`) joined to each held cell's active operators and their `best`
    certificate for its category, kept where the operator must be invited; a cell whose
    region has no active operator keeps one row without operator."""
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    return (
        stmt.outerjoin(
            Operator,
            sa.and_(Operator.region_code == held.c.region_code, Operator.active.is_(True)),
        )
        .outerjoin(
            best, sa.and_(best.c.operator_id == Operator.id, best.c.topic == held.c.category)
        )
        .where(sa.or_(Operator.id.is_(None), best.c.latest.is_(None), best.c.latest <= horizon))
    )


def plan_entries(rows, today: date) -> list[PlanEntry]:
    out = []
    for topic, code, rname, level, oid, oname, position, latest, region_gap in rows:
        if oid is None:
            reason = "tanpa_operator"
        elif latest is None:
            reason = "belum_pernah"
        elif latest < today:
            reason = "kedaluwarsa"
        else:
            reason = "segera_berakhir"
        out.append(
            PlanEntry(
                topic=topic,
                region_code=code,
                region_name=_region_name(rname, level),
                operator_id=oid,
                operator_name=oname,
                position=position,
                reason=reason,
                reason_label=PLAN_REASONS[reason],
                valid_until=latest,
                closes_gap=bool(region_gap),
            )
        )
    return out


def _plan_summary_stmt(user, region_code, today: date) -> sa.Select:
    region_where = _where(user, region_code)
    return _plan_counts(_held(region_where), region_where, today)


def _plan_counts(held, region_where, today: date) -> sa.Select:
    """Per topic: operators to invite and regions without any operator (the plan's rows,
    counted without their names)."""
    invited = sa.select(
        held.c.category,
        sa.func.count(Operator.id),
        sa.func.coalesce(sa.func.sum(sa.case((Operator.id.is_(None), 1), else_=0)), 0),
    )
    return _to_invite(invited, held, _best(region_where), today).group_by(held.c.category)


def _plan_list(rows) -> list[tuple[str, str, int, int]]:
    found = {t: (int(n), int(none or 0)) for t, n, none, *_padding in rows}
    return [(t, vocab.label(vocab.TRAINING_TOPIC, t), *found[t]) for t in TOPICS if t in found]


def plan_summary(
    user, region_code: str | None = None, today: date | None = None
) -> list[tuple[str, str, int, int]]:
    """(topic, label, operators to invite, regions without any operator) per topic. One query."""
    today = today or today_wib()
    stmt = built(
        ("plan_summary", *user_key(user), region_code, today),
        lambda: _plan_summary_stmt(user, region_code, today),
    )
    return _plan_list(db.session.execute(stmt).all())


def _figures_stmt(user, region_code, today: date) -> sa.Select:
    region_where = _where(user, region_code)
    held = _held(region_where, cte=True)
    cov = _coverage(region_where(Operator.region_code), today)
    # the overview's row has the topic "" (no topic is empty), the plan's a row per topic,
    # padded to the overview's six columns
    return sa.union_all(
        _overview_stmt(_status_cells(held, cov, today), sa.literal("")),
        _plan_counts(held, region_where, today).add_columns(*(sa.literal(0) for _ in range(3))),
    )


def gap_figures(
    user, region_code: str | None = None, today: date | None = None
) -> tuple[dict, list[tuple[str, str, int, int]]]:
    """`gap_overview` and `plan_summary` of the same area in one query: both read the held
    categories, here one CTE computed once (on a national installation a scan of the
    register's index)."""
    today = today or today_wib()
    stmt = built(
        ("gap_figures", *user_key(user), region_code, today),
        lambda: _figures_stmt(user, region_code, today),
    )
    rows = db.session.execute(stmt).all()
    overview = next(row[1:] for row in rows if row[0] == "")
    return _overview_of(overview), _plan_list(row for row in rows if row[0] != "")

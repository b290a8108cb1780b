"""Read-only questions of the register (assets, status events, daily usage, coverage).

The public surface of the assets domain for reading: tickets, training, blanko and hearing
import this module (or `assets.services`), never `assets.models`. Each function returns plain
values or rows, already filtered the way the caller asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from assets_app.assets.history import state_at
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.assets.settings import ASSET_REGION_LEVELS, USAGE_COUNTS
from assets_app.common import vocab
from assets_app.common.built import built, user_key
from assets_app.common.pagination import Page
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import get_scoped_or_404, scoped

# --- register ------------------------------------------------------------------------------


def get_asset_or_404(user, asset_id: int) -> Asset:
    return get_scoped_or_404(Asset, asset_id, user)


def latest_event(asset_id: int) -> StatusEvent | None:
    return db.session.scalar(
        sa.select(StatusEvent)
        .where(StatusEvent.asset_id == asset_id)
        .order_by(StatusEvent.started_at.desc(), StatusEvent.id.desc())
        .limit(1)
    )


def asset_timeline(asset: Asset) -> list[tuple[StatusEvent, str | None]]:
    """Status events of one asset, newest first, with the name of who recorded each."""
    from assets_app.auth.models import User

    stmt = (
        sa.select(StatusEvent, User.name)
        .outerjoin(User, User.id == StatusEvent.created_by_id)
        .where(StatusEvent.asset_id == asset.id)
        .order_by(StatusEvent.started_at.desc(), StatusEvent.id.desc())
    )
    return [(ev, name) for ev, name in db.session.execute(stmt).all()]


def latest_events(asset_ids: Iterable[int], *, at=None) -> dict[int, StatusEvent]:
    """The current event (cause, party, note) of each asset, or the one in force at the
    instant `at`, in one query."""
    ids = list(asset_ids)
    if not ids:
        return {}
    last = (
        sa.select(sa.func.max(StatusEvent.id))
        .where(StatusEvent.asset_id.in_(ids))
        .group_by(StatusEvent.asset_id)
    )
    if at is not None:
        last = last.where(StatusEvent.started_at <= at)
    stmt = sa.select(StatusEvent).where(StatusEvent.id.in_(last))
    return {ev.asset_id: ev for ev in db.session.scalars(stmt)}


def down_since(asset_ids: Iterable[int]) -> dict[int, datetime]:
    """Start of each asset's current uninterrupted non-operational spell, in one query
    (gangguan 5 months ago then dalam_perbaikan 2 months ago → 5 months ago)."""
    ids = list(asset_ids)
    if not ids:
        return {}
    e2 = sa.orm.aliased(StatusEvent)
    last_up = (
        sa.select(sa.func.max(e2.started_at))
        .where(e2.asset_id == StatusEvent.asset_id, e2.status.not_in(vocab.DOWN_STATUSES))
        .correlate(StatusEvent)
        .scalar_subquery()
    )
    stmt = (
        sa.select(StatusEvent.asset_id, sa.func.min(StatusEvent.started_at))
        .where(
            StatusEvent.asset_id.in_(ids),
            StatusEvent.status.in_(vocab.DOWN_STATUSES),
            sa.or_(last_up.is_(None), StatusEvent.started_at > last_up),
        )
        .group_by(StatusEvent.asset_id)
    )
    out = {}
    utc = StatusEvent.__table__.c.started_at.type
    for asset_id, started in db.session.execute(stmt).all():
        if isinstance(started, str):  # SQLite returns aggregates of dates as text
            started = datetime.fromisoformat(started)
        if started is not None and started.tzinfo is None:
            started = utc.process_result_value(started, None)
        out[asset_id] = started
    return out


# --- listing and totals --------------------------------------------------------------------


@dataclass
class AssetFilter:
    """The list page's filters; `status` "" means every status except dihapuskan."""

    region: str | None = None
    category: str | None = None
    status: str | None = None
    condition: str | None = None
    funding_source: str | None = None
    year: int | None = None
    q: str | None = None
    not_inventoried_since: date | None = None  # "belum diinventarisasi sejak …"

    @classmethod
    def from_args(cls, args: Mapping) -> AssetFilter:
        """Tolerant: unknown values are dropped, never an error page."""

        def pick(key, choices):
            value = (args.get(key) or "").strip()
            return value if value in choices else None

        year = str(args.get("year") or "").strip()
        try:
            since = date.fromisoformat(str(args.get("not_inventoried_since") or "").strip())
        except ValueError:
            since = None
        if since is not None and not date(1945, 1, 1) <= since <= date(2100, 12, 31):
            since = None
        return cls(
            region=(args.get("region") or "").strip() or None,
            category=pick("category", vocab.ASSET_CATEGORY),
            status=pick("status", {**vocab.ASSET_STATUS, "semua": ""}),
            condition=pick("condition", vocab.CONDITION),
            funding_source=pick("funding_source", vocab.FUNDING_SOURCE),
            year=int(year) if year.isdigit() and 1900 < int(year) < 3000 else None,
            q=(args.get("q") or "").strip()[:100] or None,
            not_inventoried_since=since,
        )

    def as_args(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_filter(stmt: sa.Select, user, f: AssetFilter) -> sa.Select:
    stmt = scoped(stmt, Asset.region_code, user, f.region)
    if f.category:
        stmt = stmt.where(Asset.category == f.category)
    if f.status == "semua":
        pass
    elif f.status:
        stmt = stmt.where(Asset.status == f.status)
    else:
        stmt = stmt.where(Asset.status != "dihapuskan")
    if f.condition:
        stmt = stmt.where(Asset.condition == f.condition)
    if f.funding_source:
        stmt = stmt.where(Asset.funding_source == f.funding_source)
    if f.year:
        stmt = stmt.where(
            Asset.acquired_on >= date(f.year, 1, 1), Asset.acquired_on <= date(f.year, 12, 31)
        )
    if f.not_inventoried_since:
        stmt = stmt.where(
            sa.or_(
                Asset.last_inventory_on.is_(None),
                Asset.last_inventory_on < f.not_inventoried_since,
            )
        )
    if f.q:
        pattern = f"%{_escape_like(f.q.lower())}%"
        stmt = stmt.where(
            sa.or_(
                *(
                    sa.func.lower(col).like(pattern, escape="\\")
                    for col in (
                        Asset.name,
                        Asset.serial_number,
                        Asset.kode_barang,
                        Asset.register_no,
                    )
                )
            )
        )
    return stmt


def register_totals(user, region_code: str | None = None, **filters) -> tuple[int, int]:
    """(count, sum of unit prices) of the filtered register, computed in SQL.

    `filters` are AssetFilter fields (category, status, condition, funding_source, year, q);
    by default disposed assets are left out.
    """
    f = AssetFilter(region=region_code, **filters)
    stmt = _kept(
        ("register_totals", *user_key(user), _filter_key(f)),
        f,
        lambda: apply_filter(
            sa.select(sa.func.count(Asset.id), sa.func.coalesce(sa.func.sum(Asset.unit_price), 0)),
            user,
            f,
        ),
    )
    count, value = db.session.execute(stmt).one()
    return int(count), int(value)


SORTS = {
    "kode": (Asset.kode_barang, Asset.register_no),
    "register": (Asset.register_no,),
    "nama": (Asset.name,),
    "kategori": (Asset.category,),
    "tanggal": (Asset.acquired_on,),
    "harga": (Asset.unit_price,),
    "status": (Asset.status,),
    "wilayah": (Asset.region_code,),  # the region's code: no join to order by it
}


def list_assets(
    user, f: AssetFilter, *, sort: str = "kode", page: int = 1, per_page: int = 25
) -> tuple[Page, int]:
    """One page of the register and the value of the whole filtered set: three queries
    (count+sum, page) whatever the size of the register."""
    desc = sort.startswith("-")
    by = sort.lstrip("-") if sort.lstrip("-") in SORTS else "kode"
    cols = SORTS[by]
    order = [c.desc() if desc else c.asc() for c in cols] + [
        Asset.id.desc() if desc else Asset.id.asc()
    ]
    filters = {k: v for k, v in f.__dict__.items() if k != "region"}
    total, value = register_totals(user, f.region, **filters)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    stmt = _kept(
        ("register_page", *user_key(user), _filter_key(f), desc, by, page, per_page),
        f,
        lambda: (
            apply_filter(
                sa.select(Asset).join(Asset.region).options(contains_eager(Asset.region)), user, f
            )
            .order_by(*order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ),
    )
    items = list(db.session.scalars(stmt))
    return Page(items=items, total=total, page=page, per_page=per_page), value


def _filter_key(f: AssetFilter) -> tuple:
    return tuple(getattr(f, x.name) for x in fields(f))


def _kept(key: tuple, f: AssetFilter, build):
    """A register statement kept per user and filter (`common.built`); a text search is
    built each time (its words would fill the cache)."""
    return build() if f.q else built(key, build)


EXPORT_COLUMNS = (
    "region_code", "kode_barang", "register_no", "name", "category", "brand_model",
    "serial_number", "acquired_on", "funding_source", "acquisition_method", "contract_no",
    "vendor", "unit_price", "bast_no", "bast_date", "condition", "custodian", "notes", "status",
    "nibar", "ukuran_cc", "bahan",
)  # fmt: skip


def iter_assets(user, f: AssetFilter, *, batch: int = 2000) -> Iterator[sa.Row]:
    """Every filtered asset as a plain row (register columns + `region_name`), streamed from
    the database in batches: exports never hold the register in memory."""
    cols = [getattr(Asset, c) for c in EXPORT_COLUMNS]
    stmt = apply_filter(
        sa.select(*cols, Region.name.label("region_name")).join(
            Region, Region.code == Asset.region_code
        ),
        user,
        f,
    ).order_by(Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id)
    yield from db.session.execute(stmt.execution_options(yield_per=batch))


def assets_by_region(user, region_code: str | None = None, *, at=None) -> dict[str, dict]:
    """{region_code: {"count", "value", "operational", "recording"}} of the register
    (disposed left out), grouped by the asset's own region (kecamatan, or the kab/kota for the
    Dinas); as of the instant `at` (default now, see `assets.history.state_at`). "recording":
    the operational recording assets (`can_record_today`)."""
    state = state_at(at)
    stmt = scoped(
        state.join(
            sa.select(
                Asset.region_code,
                sa.func.count(Asset.id),
                sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
                sa.func.sum(sa.case((state.status == "operasional", 1), else_=0)),
                sa.func.sum(sa.case((_records(state), 1), else_=0)),
            )
        ).where(state.status != "dihapuskan"),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code)
    return {
        code: {
            "count": int(n),
            "value": int(v),
            "operational": int(op or 0),
            "recording": int(rec or 0),
        }
        for code, n, v, op, rec in db.session.execute(stmt).all()
    }


def register_by_region_category(
    user, region_code: str | None = None, *, at=None
) -> dict[tuple, tuple]:
    """{(region_code, category): (count, value)} of the register (disposed left out); one
    query; as of `at` (default now). Used by the DPRD packet for the value of equipment
    without a trained operator."""
    state = state_at(at)
    stmt = scoped(
        state.join(
            sa.select(
                Asset.region_code,
                Asset.category,
                sa.func.count(Asset.id),
                sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
            )
        ).where(state.status != "dihapuskan"),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code, Asset.category)
    return {(code, cat): (int(n), int(v)) for code, cat, n, v in db.session.execute(stmt).all()}


def purchases_by_year(user, region_code: str | None = None, *, at=None) -> list[dict]:
    """The register grouped by acquisition year, funding source, category, item and unit
    price (disposed left out): [{"year", "funding_source", "category", "name",
    "brand_model", "unit_price", "quantity"}], ordered by year; the register as of `at`
    (default now). One query."""
    state = state_at(at)
    year = sa.extract("year", Asset.acquired_on)
    keys = (
        year,
        Asset.funding_source,
        Asset.category,
        Asset.name,
        Asset.brand_model,
        Asset.unit_price,
    )
    stmt = (
        scoped(
            state.join(sa.select(*keys, sa.func.count(Asset.id))).where(
                state.status != "dihapuskan"
            ),
            Asset.region_code,
            user,
            region_code,
        )
        .group_by(*keys)
        .order_by(year, Asset.funding_source, Asset.category, Asset.name, Asset.unit_price)
    )
    return [
        {
            "year": int(y),
            "funding_source": funding,
            "category": category,
            "name": name,
            "brand_model": brand,
            "unit_price": int(price),
            "quantity": int(n),
        }
        for y, funding, category, name, brand, price, n in db.session.execute(stmt).all()
    ]


def _records(state):
    """An operational recording asset: what "can record today" asks for."""
    return sa.and_(Asset.category == "perekaman", state.status == "operasional")


def can_record_today(
    region_codes: Iterable[str] = (), *, at=None, register: dict | None = None
) -> dict[str, bool]:
    """Whether each region (exact code) holds at least one operational recording asset, now
    or as of the instant `at`. Given `register` (an `assets_by_region` result, which counts
    them as "recording"), its regions are answered without a query."""
    if register is not None:
        return {code: r["recording"] > 0 for code, r in register.items()}
    codes = list(dict.fromkeys(region_codes))
    if not codes:
        return {}
    state = state_at(at)
    stmt = (
        state.join(sa.select(Asset.region_code))
        .where(Asset.region_code.in_(codes), _records(state))
        .group_by(Asset.region_code)
    )
    able = set(db.session.scalars(stmt))
    return {code: code in able for code in codes}


# --- usage and coverage ------------------------------------------------------------------


def usage_stmt(user, region_code=None, start: date | None = None, end: date | None = None):
    stmt = scoped(sa.select(UsageDay), UsageDay.region_code, user, region_code)
    if start:
        stmt = stmt.where(UsageDay.day >= start)
    if end:
        stmt = stmt.where(UsageDay.day <= end)
    return stmt


def usage_totals(
    user, region_code: str | None, start: date, end: date
) -> dict[str, dict[str, int]]:
    """{region_code: {"rekam", "cetak_ktp", "cetak_kk", "ditolak", "days"}} over the days
    [start, end] (inclusive) of every service point in scope; one query."""
    stmt = (
        scoped(
            sa.select(
                UsageDay.region_code,
                *(sa.func.coalesce(sa.func.sum(getattr(UsageDay, k)), 0) for k in USAGE_COUNTS),
                sa.func.count(UsageDay.id),
            ),
            UsageDay.region_code,
            user,
            region_code,
        )
        .where(UsageDay.day >= start, UsageDay.day <= end)
        .group_by(UsageDay.region_code)
    )
    out = {}
    for code, *vals in db.session.execute(stmt).all():
        out[code] = {k: int(v) for k, v in zip((*USAGE_COUNTS, "days"), vals, strict=True)}
    return out


def usage_series(region_code: str, start: date, end: date) -> list[dict]:
    """One dict per calendar day in [start, end] for one service point (missing days = 0)."""
    rows = {
        r.day: r
        for r in db.session.scalars(
            sa.select(UsageDay).where(
                UsageDay.region_code == region_code, UsageDay.day >= start, UsageDay.day <= end
            )
        )
    }
    out = []
    day = start
    while day <= end:
        r = rows.get(day)
        out.append(
            {
                "day": day,
                "reported": r is not None,
                **{k: (getattr(r, k) if r else 0) for k in USAGE_COUNTS},
                "kuota": r.kuota if r else None,
            }
        )
        day += timedelta(days=1)
    return out


def coverage_stmt(user, region_code=None):
    return scoped(sa.select(CoverageSnapshot), CoverageSnapshot.region_code, user, region_code)


def latest_coverage(user, region_code: str | None = None) -> dict[str, CoverageSnapshot]:
    """{region_code: latest CoverageSnapshot} for every region in the subtree that has one
    (kecamatan and kelurahan alike); `.coverage_pct` and `.belum_rekam` are on the object."""
    cs = CoverageSnapshot
    newest = (
        scoped(
            sa.select(cs.region_code.label("rc"), sa.func.max(cs.as_of).label("m")),
            cs.region_code,
            user,
            region_code,
        )
        .group_by(cs.region_code)
        .subquery()
    )
    stmt = sa.select(cs).join(
        newest, sa.and_(cs.region_code == newest.c.rc, cs.as_of == newest.c.m)
    )
    return {s.region_code: s for s in db.session.scalars(stmt)}


# --- for the web pages ---------------------------------------------------------------------


def region_of(asset: Asset) -> Region | None:
    return db.session.get(Region, asset.region_code)


def region_names(codes) -> dict[str, str]:
    """{code: display name} of the given region codes, in one query."""
    codes = list(codes)
    if not codes:
        return {}
    regions = db.session.scalars(sa.select(Region).where(Region.code.in_(codes)))
    return {r.code: r.display_name for r in regions}


def public_label(token: str):
    """(name, status, Region) of the asset a QR label points to, or None."""
    if len(token) > 40:
        return None
    return db.session.execute(
        sa.select(Asset.name, Asset.status, Region)
        .join(Region, Region.code == Asset.region_code)
        .where(Asset.label_token == token)
    ).first()


def usage_rows(user, region_code, start: date, end: date) -> sa.Select:
    """(UsageDay, Region) rows of the usage page, newest day first."""
    return (
        usage_stmt(user, region_code, start, end)
        .add_columns(Region)
        .join(Region, Region.code == UsageDay.region_code)
        .order_by(UsageDay.day.desc(), UsageDay.region_code)
    )


def usage_on(user, region_code: str | None, day: date | None) -> UsageDay | None:
    """The usage reported for one service point and day, if any (to prefill the form)."""
    if not region_code or day is None:
        return None
    stmt = usage_stmt(user, region_code).where(
        UsageDay.region_code == region_code, UsageDay.day == day
    )
    return db.session.scalar(stmt)


def coverage_rows(user, region_code) -> sa.Select:
    """(CoverageSnapshot, Region) rows of the coverage page, newest first."""
    return (
        coverage_stmt(user, region_code)
        .add_columns(Region)
        .join(Region, Region.code == CoverageSnapshot.region_code)
        .order_by(CoverageSnapshot.as_of.desc(), CoverageSnapshot.region_code)
    )


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


def held_by_region_category(categories, region_where, *, cte: bool = False):
    """(region_code, category, assets_count) of the assets not disposed, for these categories,
    grouped per region and category; `region_where(column)` filters the region code column
    (scope, subtree, a list of codes). A subquery, or a CTE for a statement reading it twice."""
    import sqlalchemy as sa  # local imports: each section of this module has its own owner

    from assets_app.assets.models import Asset

    stmt = (
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
    )
    return stmt.cte("held") if cte else stmt.subquery("held")


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


def holding_regions_count(region_where) -> int:
    """How many regions `region_where(code column)` admits that may hold assets (the levels
    an asset can be registered at): the most rows a per-region table of the register has."""
    stmt = sa.select(sa.func.count()).where(
        region_where(Region.code), Region.level.in_(ASSET_REGION_LEVELS)
    )
    return int(db.session.scalar(stmt))


def holding_region_codes(categories, region_where, limit: int, offset: int) -> list[str]:
    """One page (in code order) of the codes of the regions `held_by_region_category` has a
    row for: a walk of the (region_code, category, status) index that stops at `limit`
    codes, not a grouping of the whole register first."""
    stmt = (
        sa.select(Asset.region_code)
        .where(
            Asset.status != "dihapuskan",
            Asset.category.in_(list(categories)),
            region_where(Asset.region_code),
        )
        .distinct()
        .order_by(Asset.region_code)
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(stmt))


def holds_printer_clause(code_col) -> sa.ColumnElement[bool]:
    """`code_col` is a region that holds card-printing equipment: an asset of category
    `cetak_ktp` that has not been written off (status other than `dihapuskan`). Blanko uses
    it to call a location without stock low (its printer cannot print). A correlated EXISTS:
    an index probe on the asset's region per location, not a scan of the register."""
    return (
        sa.select(Asset.id)
        .where(
            Asset.region_code == code_col,
            Asset.category == "cetak_ktp",
            Asset.status != "dihapuskan",
        )
        .exists()
    )


def recordings_by_day(codes, start: date, end: date) -> dict[str, dict[date, int]]:
    """{service point: {reported day: rekam}} over [start, end] for `codes`; one query (days
    without a report are absent). The notify domain's silent-failure check reads this."""
    codes = list(codes)
    out: dict[str, dict[date, int]] = {c: {} for c in codes}
    if not codes:
        return out
    stmt = sa.select(UsageDay.region_code, UsageDay.day, UsageDay.rekam).where(
        UsageDay.region_code.in_(codes), UsageDay.day >= start, UsageDay.day <= end
    )
    for code, day, rekam in db.session.execute(stmt).all():
        out[code][day] = int(rekam or 0)
    return out


# --- for inventarisasi ---------------------------------------------------------------------


def inventory_expected(codes: Iterable[str], user=None) -> list[Asset]:
    """Registered assets (not disposed) in the subtrees of `codes`, each with its region, in
    register order; `user` narrows them to that user's scope."""
    from assets_app.regions.scope import scope_clause, subtree_clause

    codes = list(codes)
    if not codes:
        return []
    stmt = (
        sa.select(Asset)
        .join(Asset.region)
        .options(contains_eager(Asset.region))
        .where(
            Asset.status != "dihapuskan",
            sa.or_(*(subtree_clause(Asset.region_code, c) for c in codes)),
        )
        .order_by(Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id)
    )
    if user is not None:
        stmt = stmt.where(scope_clause(Asset.region_code, user))
    return list(db.session.scalars(stmt))


def asset_by_label(token: str) -> Asset | None:
    """The asset a label token (or the whole `<base>/l/<token>` address) names."""
    token = (token or "").strip()
    if "/l/" in token:
        token = token.rsplit("/l/", 1)[1].split("?", 1)[0].strip("/")
    if not token or len(token) > 40:
        return None
    return db.session.scalar(sa.select(Asset).where(Asset.label_token == token))


def assets_by_register(text: str, codes: Iterable[str]) -> list[Asset]:
    """Assets under `codes` with this register number, or "kode_barang/register_no"."""
    from assets_app.regions.scope import subtree_clause

    text = " ".join((text or "").split())
    codes = list(codes)
    if not text or not codes or len(text) > 60:
        return []
    stmt = sa.select(Asset).where(sa.or_(*(subtree_clause(Asset.region_code, c) for c in codes)))
    if "/" in text:
        kode, _, reg = text.rpartition("/")
        stmt = stmt.where(Asset.kode_barang == kode.strip(), Asset.register_no == reg.strip())
    else:
        stmt = stmt.where(Asset.register_no == text)
    return list(db.session.scalars(stmt.order_by(Asset.id).limit(20)))


def assets_by_ids(ids: Iterable[int]) -> dict[int, Asset]:
    """{id: asset} for these ids, in one query (missing ids are left out)."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(sa.select(Asset).where(Asset.id.in_(ids)))}


# --- for the daily report and the public board ---------------------------------------------


def service_devices(codes: Iterable[str], categories) -> list[Asset]:
    """Assets of these categories still in the register in these regions (exact codes), in
    region then name order; one query."""
    codes = list(codes)
    if not codes:
        return []
    stmt = (
        sa.select(Asset)
        .where(
            Asset.region_code.in_(codes),
            Asset.category.in_(list(categories)),
            Asset.status != "dihapuskan",
        )
        .order_by(Asset.region_code, Asset.category, Asset.name, Asset.id)
    )
    return list(db.session.scalars(stmt))


def usage_of_day(codes: Iterable[str], day: date) -> dict[str, UsageDay]:
    """{code: the usage row of that day} for these regions (exact codes); one query."""
    codes = list(codes)
    if not codes:
        return {}
    stmt = sa.select(UsageDay).where(UsageDay.region_code.in_(codes), UsageDay.day == day)
    return {u.region_code: u for u in db.session.scalars(stmt)}


def last_usage_report_at(codes: Iterable[str]) -> dict[str, datetime]:
    """{code: when its latest usage report was written or corrected}; one query."""
    codes = list(codes)
    if not codes:
        return {}
    stmt = (
        sa.select(UsageDay.region_code, sa.func.max(UsageDay.updated_at))
        .where(UsageDay.region_code.in_(codes))
        .group_by(UsageDay.region_code)
    )
    utc = UsageDay.__table__.c.updated_at.type
    out = {}
    for code, at in db.session.execute(stmt).all():
        if isinstance(at, str):  # SQLite returns an aggregate of a typed column as text
            at = datetime.fromisoformat(at)
        if at is not None and at.tzinfo is None:
            at = utc.process_result_value(at, None)
        out[code] = at
    return out


def usage_by_kabkota_day(user, root: str | None, start: date, end: date) -> dict:
    """{(kab/kota code, day): {"rekam", "cetak_ktp", "cetak_kk", "suket", "ditolak", "reports"}}: the
    daily usage reports of every kecamatan (and of the Dinas itself) summed per kab/kota and
    day in [start, end], inside `root` and the user's scope. One query."""
    kab = sa.case((Region.level == "kabkota", Region.code), else_=Region.parent_code)
    stmt = scoped(
        sa.select(
            kab.label("kab"),
            UsageDay.day,
            sa.func.sum(UsageDay.rekam),
            sa.func.sum(UsageDay.cetak_ktp),
            sa.func.sum(UsageDay.cetak_kk),
            sa.func.sum(UsageDay.suket),
            sa.func.sum(UsageDay.ditolak),
            sa.func.count(UsageDay.id),
        )
        .join(Region, Region.code == UsageDay.region_code)
        .where(UsageDay.day >= start, UsageDay.day <= end)
        .group_by(kab, UsageDay.day),
        UsageDay.region_code,
        user,
        root,
    )
    keys = ("rekam", "cetak_ktp", "cetak_kk", "suket", "ditolak", "reports")
    return {
        (k, d): dict(zip(keys, (int(v or 0) for v in vals), strict=True))
        for k, d, *vals in db.session.execute(stmt).all()
    }

"""Rules of the equipment register: KIB B records, status and downtime, daily usage and idle
detection, recording coverage. Views, API, CLI and other domains call these functions.

Every read takes the acting user and passes through the scope helpers; every write takes the
acting user as `by`, validates everything first, flushes and never commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from assets_app.assets.fields import (
    ASSET_FIELDS,
    Invalid,
    clean_asset_fields,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.assets.timeutil import now_utc, start_of_day, today_wib
from assets_app.common import vocab
from assets_app.common.errors import Conflict, Forbidden, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.common.pagination import Page
from assets_app.common.permissions import ROLES, can, define
from assets_app.extensions import db
from assets_app.regions.models import LEVEL_LABELS, Region
from assets_app.regions.scope import (
    get_scoped_or_404,
    in_scope,
    scope_clause,
    scoped,
    subtree_clause,
)
from assets_app.regions.services import require_region_in_scope

# --- permissions ---------------------------------------------------------------------------

define("assets.view", *ROLES)
define("assets.write", "admin", "kadis", "petugas")
# camat: only assets of their own kecamatan, which the scope already guarantees.
define("assets.status", "admin", "kadis", "petugas", "camat")
define("usage.write", "admin", "kadis", "petugas", "camat")
define("coverage.write", "admin", "kadis", "petugas")

ASSET_REGION_LEVELS = ("kabkota", "kecamatan")  # a kecamatan, or the kab/kota for the Dinas
USAGE_REGION_LEVELS = ("kabkota", "kecamatan")  # service points: kecamatan and the Dinas
COVERAGE_REGION_LEVELS = ("kabkota", "kecamatan", "kelurahan")
IDLE_WINDOW_DAYS = 30
# A status may be reported a few minutes "ahead" because clocks differ between devices.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_SERVICE_DAY = date(2011, 1, 1)  # KTP-el recording started in 2011
MAX_DAILY_COUNT = 100_000
UNKNOWN_CAUSE = "lainnya"
UNKNOWN_PARTY = "belum_ditentukan"
PARTY_LABELS = {**vocab.RESPONSIBLE_PARTY, UNKNOWN_PARTY: "Belum ditentukan"}
PARTY_CHOICES = vocab.RESPONSIBLE_PARTY


@dataclass(frozen=True)
class SystemActor:
    """A whole-installation actor for CLI commands: sees every region, still validated."""

    username: str = "cli"
    role: str = "admin"
    region_code: None = None
    id: None = None
    is_authenticated: bool = True


def _uid(by) -> int | None:
    return getattr(by, "id", None)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def new_label_token() -> str:
    return secrets.token_urlsafe(12)


def _merge(errors: dict[str, list[str]], exc: ValidationFailed) -> None:
    for key, messages in exc.errors.items():
        errors.setdefault(key, []).extend(messages)


def region_problem(code: str, region: Region | None, user, levels) -> str | None:
    """Why a typed region code cannot be used, or None (same wording as the regions domain)."""
    if region is None:
        return f"Kode wilayah {code} tidak dikenal."
    if not in_scope(user, region.code):
        return f"Wilayah {code} di luar cakupan wilayah Anda."
    if levels and region.level not in levels:
        names = ", ".join(LEVEL_LABELS[lv] for lv in levels)
        return f"Wilayah {code} ({region.name}) harus setingkat {names}."
    return None


def _check_region(
    code, user, levels, errors, field="region_code", regions: Mapping | None = None
) -> Region | None:
    """Validates a typed region code. `regions` (code → Region) lets an import look the codes
    of a whole file up in one query instead of one per row."""
    if isinstance(code, int | float) and not isinstance(code, bool):
        errors.setdefault(field, []).append(
            f"Kode wilayah terbaca sebagai angka ({code}). Isikan sebagai teks, misalnya "
            "35.11.05, agar kode seperti 35.10 tidak berubah menjadi 35.1."
        )
        return None
    if regions is None:
        try:
            return require_region_in_scope(
                code.strip() if isinstance(code, str) else code, user, field, levels=levels
            )
        except ValidationFailed as exc:
            _merge(errors, exc)
            return None
    code = " ".join(str(code).split()) if code is not None else ""
    if not code:
        errors.setdefault(field, []).append("Kode wilayah wajib diisi.")
        return None
    problem = region_problem(code, regions.get(code), user, levels)
    if problem:
        errors.setdefault(field, []).append(problem)
        return None
    return regions[code]


# --- register ------------------------------------------------------------------------------


def get_asset_or_404(user, asset_id: int) -> Asset:
    return get_scoped_or_404(Asset, asset_id, user)


def _register_taken(kode: str, register_no: str, region: str, exclude_id: int | None) -> bool:
    stmt = sa.select(Asset.id).where(
        Asset.kode_barang == kode, Asset.register_no == register_no, Asset.region_code == region
    )
    if exclude_id is not None:
        stmt = stmt.where(Asset.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def register_taken_message(kode: str, register_no: str, region: str) -> str:
    return (
        f"Nomor register {register_no} sudah dipakai untuk kode barang {kode} di wilayah {region}."
    )


def condition_labels() -> dict[str, str]:
    """B/KB/RB labels; `CONDITION_LABELS` in the config renames them, e.g.
    {"KB": "Rusak Ringan"} where the kabupaten uses B/RR/RB wording."""
    from flask import current_app, has_app_context

    custom = current_app.config.get("CONDITION_LABELS") if has_app_context() else None
    return {**vocab.CONDITION, **(custom or {})}


def asset_enums() -> dict:
    return {"condition": condition_labels()}


def _validate_register(by, raw: dict, *, exclude_id=None, today=None) -> dict:
    today = today or today_wib()
    clean, errors = clean_asset_fields(raw, today, enums=asset_enums())
    if "region_code" in clean:
        region = _check_region(clean["region_code"], by, ASSET_REGION_LEVELS, errors)
        if region is not None:
            clean["region_code"] = region.code
    if (
        not errors.get("region_code")
        and all(k in clean for k in ("kode_barang", "register_no", "region_code"))
        and _register_taken(
            clean["kode_barang"], clean["register_no"], clean["region_code"], exclude_id
        )
    ):
        errors.setdefault("register_no", []).append(
            register_taken_message(clean["kode_barang"], clean["register_no"], clean["region_code"])
        )
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def create_asset(by, data: Mapping, *, today: date | None = None) -> Asset:
    """Registers one asset; it starts `operasional` from its acquisition date."""
    clean = _validate_register(by, dict(data), today=today)
    since = start_of_day(clean["acquired_on"])
    asset = Asset(**clean, label_token=new_label_token(), status="operasional", status_since=since)
    db.session.add(asset)
    db.session.flush()
    db.session.add(
        StatusEvent(
            asset_id=asset.id,
            status="operasional",
            started_at=since,
            note="Dicatat di register KIB B.",
            created_by_id=_uid(by),
        )
    )
    db.session.flush()
    return asset


def update_asset(by, asset: Asset, data: Mapping, *, today: date | None = None) -> Asset:
    """Changes register fields; `data` may hold only some of them (PATCH)."""
    if asset.status == "dihapuskan":
        raise Conflict("Aset sudah dihapuskan; datanya tidak dapat diubah lagi.")
    merged = {spec.key: getattr(asset, spec.key) for spec in ASSET_FIELDS}
    merged.update({k: v for k, v in data.items() if k in merged})
    clean = _validate_register(by, merged, exclude_id=asset.id, today=today)
    for spec in ASSET_FIELDS:
        value = clean.get(spec.key)
        if getattr(asset, spec.key) != value:
            setattr(asset, spec.key, value)
    db.session.flush()
    return asset


def latest_event(asset_id: int) -> StatusEvent | None:
    return db.session.scalar(
        sa.select(StatusEvent)
        .where(StatusEvent.asset_id == asset_id)
        .order_by(StatusEvent.started_at.desc(), StatusEvent.id.desc())
        .limit(1)
    )


def set_status(
    by,
    asset: Asset,
    *,
    status,
    cause=None,
    responsible_party=None,
    started_at: datetime | None = None,
    note=None,
    now: datetime | None = None,
) -> StatusEvent:
    """Appends a status event and updates the asset's cached status in the same transaction.

    Non-operational statuses need a cause and a responsible party. An event may not start in
    the future, before the asset was acquired, or before the asset's latest event (the history
    is a timeline, appended in order).
    """
    now = now or now_utc()
    errors: dict[str, list[str]] = {}
    try:
        status = parse_choice(status, vocab.ASSET_STATUS)
    except Invalid as exc:
        errors["status"] = [str(exc)]
        status = None
    if status is None and "status" not in errors:
        errors["status"] = ["Wajib diisi."]
    if status == "dihapuskan" and not can(by, "assets.write"):
        raise Forbidden("Hanya petugas aset yang dapat menghapuskan aset.")
    # Serialise concurrent changes of one asset (PostgreSQL; SQLite writes one at a time).
    db.session.execute(sa.select(Asset.id).where(Asset.id == asset.id).with_for_update())
    db.session.refresh(asset, ["status", "status_since"])
    if asset.status == "dihapuskan":
        raise Conflict("Aset sudah dihapuskan; statusnya tidak dapat diubah lagi.")
    down = status in vocab.DOWN_STATUSES
    parsed: dict = {}
    for key, choices in (("cause", vocab.STATUS_CAUSE), ("responsible_party", PARTY_CHOICES)):
        value = cause if key == "cause" else responsible_party
        try:
            parsed[key] = parse_choice(value, choices)
        except Invalid as exc:
            errors[key] = [str(exc)]
            continue
        if parsed[key] is None and down:
            errors[key] = [f"Wajib diisi untuk status {vocab.label(vocab.ASSET_STATUS, status)}."]
    if not down:  # an operational or disposed asset has no cause of downtime
        parsed = {"cause": None, "responsible_party": None}
    try:
        note = parse_text(note, 2000)
    except Invalid as exc:
        errors["note"] = [str(exc)]
    if status == "dihapuskan" and not note:
        errors["note"] = ["Tuliskan dasar penghapusan (misalnya nomor SK atau berita acara)."]
    if started_at is None:
        started_at = now
    elif not isinstance(started_at, datetime) or started_at.tzinfo is None:
        errors["started_at"] = ["Waktu mulai harus tanggal dan jam dengan zona waktu."]
        started_at = None
    last = latest_event(asset.id)
    if started_at is not None:
        if started_at > now + CLOCK_SKEW:
            errors.setdefault("started_at", []).append("Waktu mulai tidak boleh di masa depan.")
        if started_at < start_of_day(asset.acquired_on):
            errors.setdefault("started_at", []).append(
                "Waktu mulai tidak boleh sebelum tanggal perolehan aset."
            )
        if last is not None and started_at < last.started_at:
            when = last.started_at.astimezone(WIB).strftime("%d/%m/%Y %H.%M")
            errors.setdefault("started_at", []).append(
                f"Waktu mulai tidak boleh sebelum perubahan status terakhir ({when} WIB)."
            )
    if (
        not errors
        and last is not None
        and (last.status, last.cause, last.responsible_party)
        == (status, parsed["cause"], parsed["responsible_party"])
    ):
        errors["status"] = ["Status, sebab dan penanggung jawab sama dengan yang tercatat."]
    if errors:
        raise ValidationFailed(errors=errors)
    event = StatusEvent(
        asset_id=asset.id,
        status=status,
        cause=parsed["cause"],
        responsible_party=parsed["responsible_party"],
        started_at=started_at,
        note=note,
        created_by_id=_uid(by),
    )
    db.session.add(event)
    asset.status = status
    asset.status_since = started_at
    db.session.flush()
    return event


def dispose_asset(by, asset: Asset, *, note, started_at=None, now=None) -> StatusEvent:
    """Disposal (penghapusan) instead of delete: the record stays, its status is final."""
    if not can(by, "assets.write"):
        raise Forbidden("Hanya petugas aset yang dapat menghapuskan aset.")
    return set_status(by, asset, status="dihapuskan", note=note, started_at=started_at, now=now)


def asset_timeline(asset: Asset) -> list[tuple[StatusEvent, str | None]]:
    """Status events of one asset, newest first, with the name of who recorded each."""
    from assets_app.auth.models import User

    stmt = (
        sa.select(StatusEvent, User.name)
        .outerjoin(User, User.id == StatusEvent.created_by_id)
        .where(StatusEvent.asset_id == asset.id)
        .order_by(StatusEvent.started_at.desc(), StatusEvent.id.desc())
    )
    return [(ev, name) for ev, name in db.session.execute(stmt)]


def latest_events(asset_ids: Iterable[int]) -> dict[int, StatusEvent]:
    """The current event (cause, party, note) of each asset, in one query."""
    ids = list(asset_ids)
    if not ids:
        return {}
    last = (
        sa.select(sa.func.max(StatusEvent.id))
        .where(StatusEvent.asset_id.in_(ids))
        .group_by(StatusEvent.asset_id)
    )
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
    for asset_id, started in db.session.execute(stmt):
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

    @classmethod
    def from_args(cls, args: Mapping) -> AssetFilter:
        """Tolerant: unknown values are dropped, never an error page."""

        def pick(key, choices):
            value = (args.get(key) or "").strip()
            return value if value in choices else None

        year = str(args.get("year") or "").strip()
        return cls(
            region=(args.get("region") or "").strip() or None,
            category=pick("category", vocab.ASSET_CATEGORY),
            status=pick("status", {**vocab.ASSET_STATUS, "semua": ""}),
            condition=pick("condition", vocab.CONDITION),
            funding_source=pick("funding_source", vocab.FUNDING_SOURCE),
            year=int(year) if year.isdigit() and 1900 < int(year) < 3000 else None,
            q=(args.get("q") or "").strip()[:100] or None,
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
    stmt = apply_filter(
        sa.select(sa.func.count(Asset.id), sa.func.coalesce(sa.func.sum(Asset.unit_price), 0)),
        user,
        f,
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
    "wilayah": (Region.code,),
}


def list_assets(
    user, f: AssetFilter, *, sort: str = "kode", page: int = 1, per_page: int = 25
) -> tuple[Page, int]:
    """One page of the register and the value of the whole filtered set: three queries
    (count+sum, page) whatever the size of the register."""
    desc = sort.startswith("-")
    cols = SORTS.get(sort.lstrip("-"), SORTS["kode"])
    order = [c.desc() if desc else c.asc() for c in cols] + [
        Asset.id.desc() if desc else Asset.id.asc()
    ]
    filters = {k: v for k, v in f.__dict__.items() if k != "region"}
    total, value = register_totals(user, f.region, **filters)
    stmt = apply_filter(
        sa.select(Asset).join(Asset.region).options(contains_eager(Asset.region)), user, f
    )
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(
        db.session.scalars(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    )
    return Page(items=items, total=total, page=page, per_page=per_page), value


EXPORT_COLUMNS = (
    "region_code", "kode_barang", "register_no", "name", "category", "brand_model",
    "serial_number", "acquired_on", "funding_source", "acquisition_method", "contract_no",
    "vendor", "unit_price", "bast_no", "bast_date", "condition", "custodian", "notes", "status",
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


def assets_by_region(user, region_code: str | None = None) -> dict[str, dict]:
    """{region_code: {"count", "value", "operational"}} of the register (disposed left out),
    grouped by the asset's own region (kecamatan, or the kab/kota for the Dinas)."""
    stmt = scoped(
        sa.select(
            Asset.region_code,
            sa.func.count(Asset.id),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
            sa.func.sum(sa.case((Asset.status == "operasional", 1), else_=0)),
        ).where(Asset.status != "dihapuskan"),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code)
    return {
        code: {"count": int(n), "value": int(v), "operational": int(op or 0)}
        for code, n, v, op in db.session.execute(stmt)
    }


def register_by_region_category(user, region_code: str | None = None) -> dict[tuple, tuple]:
    """{(region_code, category): (count, value)} of the register (disposed left out); one
    query. Used by the DPRD packet for the value of equipment without a trained operator."""
    stmt = scoped(
        sa.select(
            Asset.region_code,
            Asset.category,
            sa.func.count(Asset.id),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
        ).where(Asset.status != "dihapuskan"),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code, Asset.category)
    return {(code, cat): (int(n), int(v)) for code, cat, n, v in db.session.execute(stmt)}


def purchases_by_year(user, region_code: str | None = None) -> list[dict]:
    """The register grouped by acquisition year, funding source, category, item and unit
    price (disposed left out): [{"year", "funding_source", "category", "name",
    "brand_model", "unit_price", "quantity"}], ordered by year. One query."""
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
            sa.select(*keys, sa.func.count(Asset.id)).where(Asset.status != "dihapuskan"),
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
        for y, funding, category, name, brand, price, n in db.session.execute(stmt)
    ]


def can_record_today(region_codes: Iterable[str]) -> dict[str, bool]:
    """Whether each region (exact code) holds at least one operational recording asset."""
    codes = list(dict.fromkeys(region_codes))
    if not codes:
        return {}
    stmt = (
        sa.select(Asset.region_code)
        .where(
            Asset.region_code.in_(codes),
            Asset.category == "perekaman",
            Asset.status == "operasional",
        )
        .group_by(Asset.region_code)
    )
    able = set(db.session.scalars(stmt))
    return {code: code in able for code in codes}


# --- downtime ------------------------------------------------------------------------------


def _greatest(a, b):
    return sa.func.max(a, b) if _dialect() == "sqlite" else sa.func.greatest(a, b)


def _least(a, b):
    return sa.func.min(a, b) if _dialect() == "sqlite" else sa.func.least(a, b)


def _hours(lo, hi):
    if _dialect() == "sqlite":
        return (sa.func.julianday(hi) - sa.func.julianday(lo)) * 24.0
    return sa.extract("epoch", hi - lo) / 3600.0


def _dt_param(name: str, value: datetime):
    return sa.bindparam(name, value, type_=StatusEvent.__table__.c.started_at.type)


def _downtime_intervals(asset_ids: sa.Select, start: datetime, end: datetime, now: datetime):
    """Non-operational intervals of the given assets clipped to [start, min(end, now)].

    Each event lasts until the asset's next event (window function LEAD); the current event
    of an asset is still open and counts up to min(end, now).
    """
    ev = StatusEvent
    nxt = sa.func.lead(ev.started_at).over(
        partition_by=ev.asset_id, order_by=(ev.started_at, ev.id)
    )
    spans = (
        sa.select(
            ev.asset_id,
            ev.status,
            ev.cause,
            ev.responsible_party,
            ev.started_at.label("s"),
            nxt.label("e"),
        )
        .where(ev.asset_id.in_(asset_ids))
        .subquery()
    )
    cap = min(end, now)
    lo = _greatest(spans.c.s, _dt_param("start", start))
    hi = _least(sa.func.coalesce(spans.c.e, _dt_param("cap", cap)), _dt_param("end", cap))
    hours = _hours(lo, hi)
    keep = sa.and_(
        spans.c.status.in_(vocab.DOWN_STATUSES),
        spans.c.s < _dt_param("end2", cap),
        sa.func.coalesce(spans.c.e, _dt_param("cap2", cap)) > _dt_param("start2", start),
    )
    return spans, hours, keep


def _asset_id_select(assets, user, region_code) -> sa.Select:
    if isinstance(assets, sa.Select):
        base = assets
    elif assets is not None:
        base = sa.select(Asset.id).where(Asset.id.in_(list(assets)))
    else:
        base = sa.select(Asset.id)
    if user is not None or region_code:
        base = base.where(
            Asset.id.in_(scoped(sa.select(Asset.id), Asset.region_code, user, region_code))
        )
    return base


def _empty_downtime() -> dict:
    return {"hours": 0.0, "by_cause": {}, "by_party": {}, "by_status": {}}


def _fold(rows) -> dict:
    out = _empty_downtime()
    for status, cause, party, hours in rows:
        h = float(hours or 0)
        if h <= 0:
            continue
        cause = cause or UNKNOWN_CAUSE
        party = party or UNKNOWN_PARTY
        out["hours"] += h
        out["by_cause"][cause] = out["by_cause"].get(cause, 0.0) + h
        out["by_party"][party] = out["by_party"].get(party, 0.0) + h
        out["by_status"][status] = out["by_status"].get(status, 0.0) + h
    return _round(out)


def _round(d: dict) -> dict:
    d["hours"] = round(d["hours"], 2)
    for key in ("by_cause", "by_party", "by_status"):
        d[key] = {k: round(v, 2) for k, v in sorted(d[key].items(), key=lambda kv: -kv[1])}
    return d


def _check_period(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start dan end harus datetime dengan zona waktu")


def downtime_hours(
    assets: sa.Select | Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    user=None,
    region_code: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Hours spent non-operational (gangguan, dalam_perbaikan, tidak_digunakan) in [start, end).

    `assets`: a SELECT of asset ids, a list of ids, or None for every asset; `user` and
    `region_code` narrow it to a scope/subtree. Intervals are clipped to the period; the open
    interval of an asset still down counts up to min(end, now). Returns
    {"hours": float, "by_cause": {cause: h}, "by_party": {party: h}, "by_status": {status: h}};
    a missing cause is "lainnya", a missing party "belum_ditentukan". One SQL query.
    """
    if start is None or end is None:
        raise TypeError("downtime_hours membutuhkan start dan end")
    _check_period(start, end)
    now = now or now_utc()
    if start >= min(end, now):
        return _empty_downtime()
    ids = _asset_id_select(assets, user, region_code)
    spans, hours, keep = _downtime_intervals(ids, start, end, now)
    stmt = (
        sa.select(spans.c.status, spans.c.cause, spans.c.responsible_party, sa.func.sum(hours))
        .where(keep)
        .group_by(spans.c.status, spans.c.cause, spans.c.responsible_party)
    )
    return _fold(db.session.execute(stmt))


def downtime_by_region(
    user, region_code: str | None, start: datetime, end: datetime, *, now: datetime | None = None
) -> dict[str, dict]:
    """downtime_hours grouped by the asset's region (kecamatan or the Dinas' kab/kota):
    {region_code: {"hours", "by_cause", "by_party", "by_status"}}; regions without downtime
    are absent. One SQL query."""
    _check_period(start, end)
    now = now or now_utc()
    if start >= min(end, now):
        return {}
    ids = scoped(sa.select(Asset.id), Asset.region_code, user, region_code)
    spans, hours, keep = _downtime_intervals(ids, start, end, now)
    stmt = (
        sa.select(
            Asset.region_code,
            spans.c.status,
            spans.c.cause,
            spans.c.responsible_party,
            sa.func.sum(hours),
        )
        .join(Asset, Asset.id == spans.c.asset_id)
        .where(keep)
        .group_by(Asset.region_code, spans.c.status, spans.c.cause, spans.c.responsible_party)
    )
    grouped: dict[str, list] = {}
    for code, *rest in db.session.execute(stmt):
        grouped.setdefault(code, []).append(rest)
    return {code: _fold(rows) for code, rows in sorted(grouped.items())}


# --- usage ---------------------------------------------------------------------------------

USAGE_COUNTS = ("rekam", "cetak_ktp", "cetak_kk", "ditolak")
USAGE_LABELS = {
    "rekam": "Perekaman",
    "cetak_ktp": "Cetak KTP-el",
    "cetak_kk": "Cetak KK",
    "ditolak": "Ditolak",
    "kuota": "Kuota",
}


def clean_usage(by, raw: Mapping, *, today: date | None = None, regions=None) -> dict:
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    region = _check_region(raw.get("region_code"), by, USAGE_REGION_LEVELS, errors, regions=regions)
    if region is not None:
        clean["region_code"] = region.code
    try:
        day = parse_date(raw.get("day"))
        if day is None:
            errors["day"] = ["Wajib diisi."]
        elif day > today:
            errors["day"] = ["Tanggal tidak boleh di masa depan."]
        elif day < EARLIEST_SERVICE_DAY:
            errors["day"] = ["Tanggal terlalu lama (sebelum 2011)."]
        else:
            clean["day"] = day
    except Invalid as exc:
        errors["day"] = [str(exc)]
    for key in (*USAGE_COUNTS, "kuota"):
        try:
            value = parse_int(raw.get(key))
        except Invalid as exc:
            errors[key] = [str(exc)]
            continue
        if value is None:
            value = 0 if key != "kuota" else None
        if value is not None and value < 0:
            errors[key] = ["Tidak boleh negatif."]
        elif value is not None and value > MAX_DAILY_COUNT:
            errors[key] = [f"Terlalu besar untuk satu hari (maksimal {MAX_DAILY_COUNT})."]
        else:
            clean[key] = value
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def record_usage(by, data: Mapping, *, today: date | None = None) -> tuple[UsageDay, bool]:
    """One row per service point per day: a second report for the same day is a correction
    that replaces the counts (the audit log keeps the old ones). Returns (row, created)."""
    clean = clean_usage(by, data, today=today)
    row = db.session.scalar(
        sa.select(UsageDay).where(
            UsageDay.region_code == clean["region_code"], UsageDay.day == clean["day"]
        )
    )
    created = row is None
    if created:
        row = UsageDay(**clean, created_by_id=_uid(by))
        db.session.add(row)
    else:
        for key in (*USAGE_COUNTS, "kuota"):
            setattr(row, key, clean[key])
    db.session.flush()
    return row, created


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
    for code, *vals in db.session.execute(stmt):
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


# --- idle ----------------------------------------------------------------------------------

# Which daily count shows that an asset of a category is being used.
SERVICE_OF_CATEGORY = {"perekaman": "rekam", "cetak_ktp": "cetak_ktp", "cetak_kk": "cetak_kk"}
SERVICE_WORDS = {
    "rekam": "perekaman KTP-el",
    "cetak_ktp": "pencetakan KTP-el",
    "cetak_kk": "pencetakan KK",
    None: "layanan apa pun",
}


@dataclass(frozen=True)
class IdleItem:
    asset: Asset
    reason: str
    since: date | None
    kind: str  # "status" (tidak_digunakan) or "usage" (no use in the window)
    last_used: date | None = None


def _idle_parts(user, region_code, window_days: int, today: date):
    window_start = today - timedelta(days=window_days - 1)
    in_scope_usage = sa.and_(
        scope_clause(UsageDay.region_code, user),
        subtree_clause(UsageDay.region_code, region_code) if region_code else sa.true(),
    )
    used = (
        sa.select(
            UsageDay.region_code.label("rc"),
            *(
                sa.func.sum(getattr(UsageDay, k)).label(k)
                for k in ("rekam", "cetak_ktp", "cetak_kk")
            ),
        )
        .where(in_scope_usage, UsageDay.day >= window_start, UsageDay.day <= today)
        .group_by(UsageDay.region_code)
        .subquery("used")
    )

    def z(col):
        return sa.func.coalesce(col, 0)

    relevant = sa.case(
        (Asset.category == "perekaman", z(used.c.rekam)),
        (Asset.category == "cetak_ktp", z(used.c.cetak_ktp)),
        (Asset.category == "cetak_kk", z(used.c.cetak_kk)),
        else_=z(used.c.rekam) + z(used.c.cetak_ktp) + z(used.c.cetak_kk),
    )
    by_status = Asset.status == "tidak_digunakan"
    by_usage = sa.and_(
        Asset.status == "operasional",
        Asset.status_since <= _dt_param("ws", start_of_day(window_start)),
        Asset.acquired_on <= window_start,
        relevant == 0,
    )
    return used, by_status, by_usage, window_start


def idle_stmt(user, region_code=None, window_days: int = IDLE_WINDOW_DAYS, today=None):
    """SELECT (Asset, is_by_status, last_used) of idle assets, for paging; see idle_assets."""
    today = today or today_wib()
    used, by_status, by_usage, _ = _idle_parts(user, region_code, window_days, today)
    u = UsageDay
    last = (
        scoped(
            sa.select(
                u.region_code.label("rc"),
                sa.func.max(sa.case((u.rekam > 0, u.day))).label("rekam"),
                sa.func.max(sa.case((u.cetak_ktp > 0, u.day))).label("cetak_ktp"),
                sa.func.max(sa.case((u.cetak_kk > 0, u.day))).label("cetak_kk"),
                sa.func.max(sa.case((u.rekam + u.cetak_ktp + u.cetak_kk > 0, u.day))).label("any"),
            ),
            u.region_code,
            user,
            region_code,
        )
        .where(u.day <= today)
        .group_by(u.region_code)
        .subquery("last")
    )
    last_used = sa.case(
        (Asset.category == "perekaman", last.c.rekam),
        (Asset.category == "cetak_ktp", last.c.cetak_ktp),
        (Asset.category == "cetak_kk", last.c.cetak_kk),
        else_=last.c.any,
    )
    stmt = (
        sa.select(Asset, by_status.label("by_status"), last_used.label("last_used"))
        .join(Asset.region)
        .options(contains_eager(Asset.region))
        .outerjoin(used, used.c.rc == Asset.region_code)
        .outerjoin(last, last.c.rc == Asset.region_code)
        .where(sa.or_(by_status, by_usage))
    )
    return scoped(stmt, Asset.region_code, user, region_code).order_by(
        Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id
    )


def idle_item(row, window_days: int) -> IdleItem:
    asset, is_status, last_used = row
    if isinstance(last_used, str):
        last_used = date.fromisoformat(last_used)
    if is_status:
        return IdleItem(
            asset=asset,
            reason="Berstatus Tidak digunakan",
            since=asset.status_since.astimezone(WIB).date(),
            kind="status",
            last_used=last_used,
        )
    service = SERVICE_OF_CATEGORY.get(asset.category)
    words = SERVICE_WORDS[service]
    candidates = [asset.acquired_on, asset.status_since.astimezone(WIB).date()]
    if last_used:
        candidates.append(last_used + timedelta(days=1))
    reason = f"Tidak ada {words} di lokasinya selama {window_days} hari terakhir"
    reason += ", padahal alat operasional" if last_used else "; belum pernah tercatat dipakai"
    return IdleItem(
        asset=asset, reason=reason, since=max(candidates), kind="usage", last_used=last_used
    )


def idle_assets(
    user, region_code: str | None = None, window_days: int = IDLE_WINDOW_DAYS, today=None
) -> list[IdleItem]:
    """Idle assets (DESIGN.md): status tidak_digunakan, or operational through the whole window
    while the service it serves (recording for perekaman, printing for cetak_*, any service
    for the rest) had zero usage at its location. Each with reason and since-when. One query."""
    return [
        idle_item(row, window_days)
        for row in db.session.execute(idle_stmt(user, region_code, window_days, today))
    ]


def idle_value_by_region(
    user, region_code: str | None = None, window_days: int = IDLE_WINDOW_DAYS, today=None
) -> dict[str, tuple[int, int]]:
    """{region_code: (idle count, idle value)} per asset region; one query."""
    today = today or today_wib()
    used, by_status, by_usage, _ = _idle_parts(user, region_code, window_days, today)
    stmt = scoped(
        sa.select(
            Asset.region_code,
            sa.func.count(Asset.id),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
        )
        .outerjoin(used, used.c.rc == Asset.region_code)
        .where(sa.or_(by_status, by_usage)),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code)
    return {code: (int(n), int(v)) for code, n, v in db.session.execute(stmt)}


IDLE_REASON_PROVIDERS: list = []


def idle_reason_provider(fn):
    """Decorator for other domains: `fn(items) -> {asset_id: reason}` adds reasons to the idle
    page without editing this module (e.g. training: "tidak ada operator terlatih")."""
    IDLE_REASON_PROVIDERS[:] = [
        p for p in IDLE_REASON_PROVIDERS if p.__qualname__ != fn.__qualname__
    ]
    IDLE_REASON_PROVIDERS.append(fn)
    return fn


def idle_extra_reasons(items: list[IdleItem]) -> dict[int, str]:
    """Hook for other domains: an extra reason per idle asset id, shown under the idle reason.
    Returns {} until a domain registers a provider (see idle_reason_provider) — the training
    domain adds "tidak ada operator terlatih" where a kecamatan lacks a certified operator."""
    out: dict[int, str] = {}
    for provider in IDLE_REASON_PROVIDERS:
        for asset_id, reason in (provider(items) or {}).items():
            if reason:
                out[asset_id] = f"{out[asset_id]}; {reason}" if asset_id in out else reason
    return out


# --- coverage ------------------------------------------------------------------------------


def clean_coverage(by, raw: Mapping, *, today: date | None = None, regions=None) -> dict:
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    region = _check_region(
        raw.get("region_code"), by, COVERAGE_REGION_LEVELS, errors, regions=regions
    )
    if region is not None:
        clean["region_code"] = region.code
    try:
        as_of = parse_date(raw.get("as_of"))
        if as_of is None:
            errors["as_of"] = ["Wajib diisi."]
        elif as_of > today:
            errors["as_of"] = ["Tanggal tidak boleh di masa depan."]
        elif as_of < EARLIEST_SERVICE_DAY:
            errors["as_of"] = ["Tanggal terlalu lama (sebelum 2011)."]
        else:
            clean["as_of"] = as_of
    except Invalid as exc:
        errors["as_of"] = [str(exc)]
    for key in ("wajib_ktp", "sudah_rekam"):
        try:
            value = parse_int(raw.get(key))
        except Invalid as exc:
            errors[key] = [str(exc)]
            continue
        if value is None:
            errors[key] = ["Wajib diisi."]
        elif value < 0:
            errors[key] = ["Tidak boleh negatif."]
        elif value > 50_000_000:
            errors[key] = ["Terlalu besar; periksa kembali angkanya."]
        else:
            clean[key] = value
    if "wajib_ktp" in clean and clean["wajib_ktp"] == 0:
        errors.setdefault("wajib_ktp", []).append("Wajib KTP-el harus lebih dari nol.")
    if (
        "wajib_ktp" in clean
        and "sudah_rekam" in clean
        and clean["sudah_rekam"] > clean["wajib_ktp"]
    ):
        errors.setdefault("sudah_rekam", []).append(
            "Sudah rekam tidak boleh melebihi wajib KTP-el."
        )
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def record_coverage(
    by, data: Mapping, *, today: date | None = None
) -> tuple[CoverageSnapshot, bool]:
    """One snapshot per region per as-of date; the same date again corrects it (audited)."""
    clean = clean_coverage(by, data, today=today)
    snap = db.session.scalar(
        sa.select(CoverageSnapshot).where(
            CoverageSnapshot.region_code == clean["region_code"],
            CoverageSnapshot.as_of == clean["as_of"],
        )
    )
    created = snap is None
    if created:
        snap = CoverageSnapshot(**clean)
        db.session.add(snap)
    else:
        snap.wajib_ktp = clean["wajib_ktp"]
        snap.sudah_rekam = clean["sudah_rekam"]
    db.session.flush()
    return snap, created


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

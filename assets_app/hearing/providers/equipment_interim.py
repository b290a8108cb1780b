"""INTERIM register providers, used only while `assets_app.assets.services` is absent: they
read the foundation's asset models directly (counts, value, operational share, idle by status,
usage, coverage, purchases). `register.py` replaces them — by calling the assets domain's
services — as soon as that domain is installed. No downtime here: it needs the assets
domain's interval logic."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.common import vocab
from assets_app.common.formatting import to_wib
from assets_app.extensions import db
from assets_app.hearing import providers
from assets_app.hearing.summary import row_key, section_provider, summary_provider
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, subtree_clause
from reports.hearing_data import IdleAsset, PurchaseLine

KEC_LEN = len("35.11.05")


def _area(column, user, region_code):
    return sa.and_(scope_clause(column, user), subtree_clause(column, region_code))


def _kec(column):
    """The row a region code counts in, in SQL (kelurahan → its kecamatan)."""
    return sa.func.substr(column, 1, KEC_LEN)


# --- PHASE 1 interim: register (replace with assets.services in phase 2) --------------------


@summary_provider(
    "assets",
    section="assets",
    metrics=(
        "assets_count",
        "assets_value",
        "operational_count",
        "can_record_today",
        "idle_count",
        "idle_value",
    ),
)
def _interim_assets(user, region_code, start: date, end: date, today: date) -> dict:
    key = _kec(Asset.region_code)
    live = Asset.status != "dihapuskan"
    idle = Asset.status == "tidak_digunakan"
    operational = Asset.status == "operasional"
    recording = sa.and_(operational, Asset.category == "perekaman")
    stmt = (
        sa.select(
            key,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
            sa.func.sum(sa.case((operational, 1), else_=0)),
            sa.func.max(sa.case((recording, 1), else_=0)),
            sa.func.sum(sa.case((idle, 1), else_=0)),
            sa.func.sum(sa.case((idle, Asset.unit_price), else_=0)),
        )
        .where(live, Asset.acquired_on <= end, _area(Asset.region_code, user, region_code))
        .group_by(key)
    )
    return {
        code: {
            "assets_count": n,
            "assets_value": int(value),
            "operational_count": int(ops or 0),
            "can_record_today": bool(rec),
            "idle_count": int(n_idle or 0),
            "idle_value": int(v_idle or 0),
        }
        for code, n, value, ops, rec, n_idle, v_idle in db.session.execute(stmt)
    }


@summary_provider("usage", section="usage", metrics=("recorded", "turned_away"))
def _interim_usage(user, region_code, start: date, end: date, today: date) -> dict:
    key = _kec(UsageDay.region_code)
    stmt = (
        sa.select(key, sa.func.sum(UsageDay.rekam), sa.func.sum(UsageDay.ditolak))
        .where(
            UsageDay.day.between(start, end),
            _area(UsageDay.region_code, user, region_code),
        )
        .group_by(key)
    )
    return {
        code: {"recorded": int(rekam or 0), "turned_away": int(ditolak or 0)}
        for code, rekam, ditolak in db.session.execute(stmt)
    }


@summary_provider("coverage", section="coverage", metrics=("wajib_ktp", "sudah_rekam"))
def _interim_coverage(user, region_code, start: date, end: date, today: date) -> dict:
    """Latest snapshot per region up to the date; a kecamatan's own snapshot wins over the
    sum of its kelurahan."""
    as_of = min(end, today)
    c2 = sa.orm.aliased(CoverageSnapshot)
    latest = (
        sa.select(sa.func.max(c2.as_of))
        .where(c2.region_code == CoverageSnapshot.region_code, c2.as_of <= as_of)
        .scalar_subquery()
    )
    stmt = sa.select(
        CoverageSnapshot.region_code, CoverageSnapshot.wajib_ktp, CoverageSnapshot.sudah_rekam
    ).where(
        CoverageSnapshot.as_of == latest,
        _area(CoverageSnapshot.region_code, user, region_code),
    )
    own: dict[str, tuple[int, int]] = {}
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, wajib, sudah in db.session.execute(stmt):
        key = row_key(code)
        if key == code:
            own[code] = (wajib, sudah)
        else:
            parts[key][0] += wajib
            parts[key][1] += sudah
    out = {k: {"wajib_ktp": w, "sudah_rekam": s} for k, (w, s) in parts.items()}
    out.update({k: {"wajib_ktp": w, "sudah_rekam": s} for k, (w, s) in own.items()})
    return out


@section_provider("purchases", section="assets")
def _interim_purchases(user, region_code, start: date, end: date, today: date):
    year = sa.extract("year", Asset.acquired_on)
    stmt = (
        sa.select(
            year,
            Asset.funding_source,
            Asset.category,
            Asset.name,
            Asset.brand_model,
            Asset.unit_price,
            sa.func.count(),
        )
        .where(
            Asset.status != "dihapuskan",
            Asset.acquired_on <= end,
            _area(Asset.region_code, user, region_code),
        )
        .group_by(
            year,
            Asset.funding_source,
            Asset.category,
            Asset.name,
            Asset.brand_model,
            Asset.unit_price,
        )
        .order_by(year, Asset.funding_source, Asset.category, Asset.name, Asset.unit_price)
    )
    return [
        PurchaseLine(
            year=int(y),
            funding_source=vocab.label(vocab.FUNDING_SOURCE, funding),
            category=vocab.label(vocab.ASSET_CATEGORY, category),
            name=name,
            brand_model=brand,
            quantity=n,
            unit_price=price,
            total_value=price * n,
        )
        for y, funding, category, name, brand, price, n in db.session.execute(stmt)
    ]


@section_provider("idle_assets", section="assets")
def _interim_idle_assets(user, region_code, start: date, end: date, today: date):
    last = (
        sa.select(StatusEvent.cause, StatusEvent.note)
        .where(StatusEvent.asset_id == Asset.id)
        .order_by(StatusEvent.started_at.desc(), StatusEvent.id.desc())
        .limit(1)
    )
    cause = last.with_only_columns(StatusEvent.cause).scalar_subquery()
    note = last.with_only_columns(StatusEvent.note).scalar_subquery()
    region = sa.orm.aliased(Region)
    stmt = (
        sa.select(Asset, region.name, region.level, cause, note)
        .join(region, region.code == Asset.region_code)
        .where(Asset.status == "tidak_digunakan", _area(Asset.region_code, user, region_code))
        .order_by(Asset.region_code, Asset.unit_price.desc(), Asset.id)
    )
    rows = db.session.execute(stmt).all()
    extra = providers.idle_reasons([r[0] for r in rows], today)
    out = []
    for asset, rname, rlevel, why, text in rows:
        since = to_wib(asset.status_since).date() if asset.status_since else None
        reason = vocab.label(vocab.STATUS_CAUSE, why) if why else ""
        if text:
            reason = f"{reason}: {text}" if why else text
        reason = "; ".join([*extra.get(asset.id, []), reason or "Tidak digunakan"])
        out.append(
            IdleAsset(
                region_code=asset.region_code,
                region_name=f"Kec. {rname}" if rlevel == "kecamatan" else rname,
                name=asset.name,
                brand_model=asset.brand_model,
                kode_barang=asset.kode_barang,
                register_no=asset.register_no,
                acquired_year=asset.acquired_on.year,
                funding_source=vocab.label(vocab.FUNDING_SOURCE, asset.funding_source),
                unit_price=asset.unit_price,
                since=since,
                days_idle=(today - since).days if since else None,
                reason=reason,
            )
        )
    return out


def _register_values(user, region_code) -> dict:
    stmt = (
        sa.select(
            Asset.region_code,
            Asset.category,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
        )
        .where(Asset.status != "dihapuskan", _area(Asset.region_code, user, region_code))
        .group_by(Asset.region_code, Asset.category)
    )
    return {(c, cat): (int(n), int(v)) for c, cat, n, v in db.session.execute(stmt)}


providers.set_register_values(_register_values)

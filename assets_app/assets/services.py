"""Verbs of the equipment register: record and change KIB B assets, status changes and
disposal, daily usage, recording coverage. Views, API, CLI and other domains call these.

Every write takes the acting user as `by`, validates everything first, flushes and never
commits (the request's unit of work does). Reads live in `queries`, downtime in `downtime`,
idle detection in `idle`, limits and vocabularies in `settings`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

# Besides its own needs, this module re-exports the reads hearing asks through `services`
# (other domains may import only `services`/`queries` of assets): downtime_by_region,
# idle_assets, idle_extra_reasons, idle_value_by_region, idle_split_by_region,
# reporting_by_region, assets_by_region, can_record_today,
# latest_coverage, latest_events, purchases_by_year, register_by_region_category, usage_totals.
from assets_app.assets.downtime import (
    close_interval,
    downtime_by_region,  # noqa: F401
    move_asset_downtime,
)
from assets_app.assets.fields import (
    ASSET_FIELDS,
    Invalid,
    clean_asset_fields,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)
from assets_app.assets.idle import (  # noqa: F401
    idle_assets,
    idle_extra_reasons,
    idle_split_by_region,
    idle_value_by_region,
    unreported_stmt,
)
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.assets.queries import (  # noqa: F401
    assets_by_region,
    can_record_today,
    latest_coverage,
    latest_event,
    latest_events,
    purchases_by_year,
    register_by_region_category,
    usage_totals,
)
from assets_app.assets.reporting import reporting_by_region  # noqa: F401
from assets_app.assets.settings import (
    ASSET_REGION_LEVELS,
    CLOCK_SKEW,
    COVERAGE_REGION_LEVELS,
    EARLIEST_SERVICE_DAY,
    EXTRA_COUNTS,
    MAX_DAILY_COUNT,
    MAX_POPULATION,
    PARTY_CHOICES,
    USAGE_COUNTS,
    USAGE_REGION_LEVELS,
    asset_enums,
)
from assets_app.common import vocab
from assets_app.common.errors import Conflict, Forbidden, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.permissions import can
from assets_app.common.timeutil import WIB, start_of_day, today_wib, utcnow
from assets_app.extensions import db
from assets_app.regions.models import LEVEL_LABELS, Region, kabkota_of
from assets_app.regions.scope import in_scope, subtree_clause
from assets_app.regions.services import require_region_in_scope


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


def check_region(
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


def _register_taken(kode: str, register_no: str, region: str, exclude_id: int | None) -> bool:
    stmt = sa.select(Asset.id).where(
        Asset.kode_barang == kode, Asset.register_no == register_no, Asset.region_code == region
    )
    if exclude_id is not None:
        stmt = stmt.where(Asset.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def nibar_taken(nibar: str, region: str, exclude_id: int | None = None) -> bool:
    """Whether another asset of the same kab/kota already carries this NIBAR."""
    kab = kabkota_of(region) or region
    stmt = sa.select(Asset.id).where(Asset.nibar == nibar, subtree_clause(Asset.region_code, kab))
    if exclude_id is not None:
        stmt = stmt.where(Asset.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def nibar_taken_message(nibar: str, region: str) -> str:
    kab = kabkota_of(region) or region
    return f"NIBAR {nibar} sudah dipakai aset lain di kabupaten/kota {kab}."


def register_taken_message(kode: str, register_no: str, region: str) -> str:
    return (
        f"Nomor register {register_no} sudah dipakai untuk kode barang {kode} di wilayah {region}."
    )


def _validate_register(by, raw: dict, *, exclude_id=None, today=None) -> dict:
    today = today or today_wib()
    clean, errors = clean_asset_fields(raw, today, enums=asset_enums())
    if "region_code" in clean:
        region = check_region(clean["region_code"], by, ASSET_REGION_LEVELS, errors)
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
    nibar = clean.get("nibar")
    if (
        nibar
        and "region_code" in clean
        and not errors.get("region_code")
        and nibar_taken(nibar, clean["region_code"], exclude_id)
    ):
        errors.setdefault("nibar", []).append(nibar_taken_message(nibar, clean["region_code"]))
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
    if clean.get("region_code") != asset.region_code:
        # under the asset's lock, as set_status writes its deltas
        db.session.execute(sa.select(Asset.id).where(Asset.id == asset.id).with_for_update())
        move_asset_downtime(asset.id, asset.region_code, clean["region_code"])
    for spec in ASSET_FIELDS:
        value = clean.get(spec.key)
        if getattr(asset, spec.key) != value:
            setattr(asset, spec.key, value)
    db.session.flush()
    return asset


INVENTORY_RESULTS = {"ditemukan": "Ditemukan", "tidak_ditemukan": "Tidak ditemukan"}


def record_inventory_result(
    by, asset: Asset, *, on: date, result: str, condition=None, region_code=None
) -> Asset:
    """The outcome of a confirmed inventarisasi for one asset: the day and the result are
    kept on the asset (shown on its page, filtered in the register); a find with another
    condition or in another place changes the register through `update_asset` (validated,
    audited). "Tidak ditemukan" only flags the asset: it stays in the register as it was."""
    if result not in INVENTORY_RESULTS:
        raise ValidationFailed(errors={"result": [f"Hasil inventarisasi {result} tidak dikenal."]})
    changes = {}
    if result == "ditemukan":
        if condition and condition != asset.condition:
            changes["condition"] = condition
        if region_code and region_code != asset.region_code:
            changes["region_code"] = region_code
    if changes:
        update_asset(by, asset, changes)
    elif asset.status == "dihapuskan":
        raise Conflict("Aset sudah dihapuskan; datanya tidak dapat diubah lagi.")
    asset.last_inventory_on = on
    asset.last_inventory_result = result
    return asset  # flushed with the caller's next flush (one for a whole session)


def _parse_status(by, status, errors: dict) -> str | None:
    try:
        status = parse_choice(status, vocab.ASSET_STATUS)
    except Invalid as exc:
        errors["status"] = [str(exc)]
        return None
    if status is None:
        errors["status"] = ["Wajib diisi."]
    if status == "dihapuskan" and not can(by, "assets.write"):
        raise Forbidden("Hanya petugas aset yang dapat menghapuskan aset.")
    return status


def _parse_downtime_cause(status, cause, responsible_party, errors: dict) -> dict:
    """Cause and responsible party: needed for a non-operational status, cleared otherwise.
    Never a default: the downtime is attributed to the party named here, so a missing one
    is refused (form, API and the ticket workflow alike)."""
    down = status in vocab.DOWN_STATUSES
    parsed: dict = {}
    for key, value, choices, what in (
        ("cause", cause, vocab.STATUS_CAUSE, "Sebab"),
        ("responsible_party", responsible_party, PARTY_CHOICES, "Penanggung jawab"),
    ):
        try:
            parsed[key] = parse_choice(value, choices)
        except Invalid as exc:
            errors[key] = [str(exc)]
            continue
        if parsed[key] is None and down:
            label = vocab.label(vocab.ASSET_STATUS, status)
            errors[key] = [f"{what} wajib dipilih untuk status {label}."]
    if not down:  # an operational or disposed asset has no cause of downtime
        return {"cause": None, "responsible_party": None}
    return parsed


def _check_started_at(asset: Asset, started_at, now: datetime, last, errors: dict):
    """The event's start: not in the future, not before acquisition or the latest event."""
    if started_at is None:
        return now
    if not isinstance(started_at, datetime) or started_at.tzinfo is None:
        errors["started_at"] = ["Waktu mulai harus tanggal dan jam dengan zona waktu."]
        return None
    problems = []
    if started_at > now + CLOCK_SKEW:
        problems.append("Waktu mulai tidak boleh di masa depan.")
    if started_at < start_of_day(asset.acquired_on):
        problems.append("Waktu mulai tidak boleh sebelum tanggal perolehan aset.")
    if last is not None and started_at < last.started_at:
        when = last.started_at.astimezone(WIB).strftime("%d/%m/%Y %H.%M")
        problems.append(f"Waktu mulai tidak boleh sebelum perubahan status terakhir ({when} WIB).")
    if problems:
        errors.setdefault("started_at", []).extend(problems)
    return started_at


def _lock_for_status_change(asset: Asset) -> None:
    """Serialises concurrent changes of one asset (PostgreSQL; SQLite writes one at a time)."""
    db.session.execute(sa.select(Asset.id).where(Asset.id == asset.id).with_for_update())
    db.session.refresh(asset, ["status", "status_since"])
    if asset.status == "dihapuskan":
        raise Conflict("Aset sudah dihapuskan; statusnya tidak dapat diubah lagi.")


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
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    status = _parse_status(by, status, errors)
    _lock_for_status_change(asset)
    parsed = _parse_downtime_cause(status, cause, responsible_party, errors)
    try:
        note = parse_text(note, 2000)
    except Invalid as exc:
        errors["note"] = [str(exc)]
    if status == "dihapuskan" and not note:
        errors["note"] = ["Tuliskan dasar penghapusan (misalnya nomor SK atau berita acara)."]
    last = latest_event(asset.id)
    started_at = _check_started_at(asset, started_at, now, last, errors)
    if (
        not errors
        and last is not None
        and (last.status, last.cause, last.responsible_party)
        == (
            status,
            parsed["cause"],
            parsed["responsible_party"],
        )
    ):
        errors["status"] = ["Status, sebab dan penanggung jawab sama dengan yang tercatat."]
    if errors:
        raise ValidationFailed(errors=errors)
    event = StatusEvent(
        asset_id=asset.id,
        status=status,
        **parsed,
        started_at=started_at,
        note=note,
        created_by_id=_uid(by),
    )
    db.session.add(event)
    # the new event closes the latest one: its downtime enters the daily rollup now
    close_interval(asset, last, started_at)
    asset.status = status
    asset.status_since = started_at
    asset.status_cause, asset.status_party = parsed["cause"], parsed["responsible_party"]
    db.session.flush()
    return event


def dispose_asset(by, asset: Asset, *, note, started_at=None, now=None) -> StatusEvent:
    """Disposal (penghapusan) instead of delete: the record stays, its status is final."""
    if not can(by, "assets.write"):
        raise Forbidden("Hanya petugas aset yang dapat menghapuskan aset.")
    return set_status(by, asset, status="dihapuskan", note=note, started_at=started_at, now=now)


# --- usage ---


def _service_day(raw: Mapping, key: str, today: date, clean: dict, errors: dict) -> None:
    """A reporting day of usage or coverage: given, not in the future, not before 2011."""
    try:
        day = parse_date(raw.get(key))
    except Invalid as exc:
        errors[key] = [str(exc)]
        return
    if day is None:
        errors[key] = ["Wajib diisi."]
    elif day > today:
        errors[key] = ["Tanggal tidak boleh di masa depan."]
    elif day < EARLIEST_SERVICE_DAY:
        errors[key] = ["Tanggal terlalu lama (sebelum 2011)."]
    else:
        clean[key] = day


def _count(raw, key, maximum, too_big, clean, errors, *, blank=None, required=False) -> None:
    """A daily count or a population figure: a whole number from 0 to `maximum`."""
    try:
        value = parse_int(raw.get(key))
    except Invalid as exc:
        errors[key] = [str(exc)]
        return
    if value is None and required:
        errors[key] = ["Wajib diisi."]
        return
    value = blank if value is None else value
    if value is not None and value < 0:
        errors[key] = ["Tidak boleh negatif."]
    elif value is not None and value > maximum:
        errors[key] = [too_big]
    else:
        clean[key] = value


def clean_usage(by, raw: Mapping, *, today: date | None = None, regions=None) -> dict:
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    region = check_region(raw.get("region_code"), by, USAGE_REGION_LEVELS, errors, regions=regions)
    if region is not None:
        clean["region_code"] = region.code
    _service_day(raw, "day", today, clean, errors)
    for key in (*USAGE_COUNTS, *EXTRA_COUNTS, "kuota"):
        blank = 0 if key != "kuota" else None  # an empty count is zero; an empty quota none
        big = f"Terlalu besar untuk satu hari (maksimal {number(MAX_DAILY_COUNT)})."
        _count(raw, key, MAX_DAILY_COUNT, big, clean, errors, blank=blank)
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
        for key in (*USAGE_COUNTS, *EXTRA_COUNTS, "kuota"):
            setattr(row, key, clean[key])
    db.session.flush()
    return row, created


# --- coverage ---


def clean_coverage(by, raw: Mapping, *, today: date | None = None, regions=None) -> dict:
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    region = check_region(
        raw.get("region_code"), by, COVERAGE_REGION_LEVELS, errors, regions=regions
    )
    if region is not None:
        clean["region_code"] = region.code
    _service_day(raw, "as_of", today, clean, errors)
    for key in ("wajib_ktp", "sudah_rekam"):
        big = "Terlalu besar; periksa kembali angkanya."
        _count(raw, key, MAX_POPULATION, big, clean, errors, required=True)
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

"""The daily report (laporan harian) of a service point, and the public board's setting.

`file_daily_report` writes the day's usage, the devices' status changes and the blanko used or
damaged through the owning domains' services (`assets.services.record_usage`/`set_status`,
`blanko.services.record_movement`) in the request's one transaction: each part is checked,
every problem is collected under the field it belongs to, and if there is any the whole
report is refused (the unit of work rolls back what the parts wrote). A second filing for the
same day is a correction: the counts are replaced (the usage row is audited), the status
changes are appended, and the blanko totals post only their difference as new movements.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.assets import services as asset_services
from assets_app.blanko import services as blanko_services
from assets_app.common import idempotency
from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.permissions import can
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.common.validate import Invalid, parse_date, parse_int, parse_text
from assets_app.extensions import db
from assets_app.field.models import DailyReport, StatusBoard
from assets_app.field.vocab import REPORT_LEVELS
from assets_app.regions.services import require_region_in_scope, require_setting_scope

SUBJECT = "daily_report"
COUNTS = ("rekam", "cetak_ktp", "cetak_kk", "ditolak", "suket", "kuota")
MAX_BLANKO_PER_DAY = 10_000
MAX_NOTICE = 300


def _uid(by) -> int | None:
    return getattr(by, "id", None)


def _merge(errors: dict, exc: ValidationFailed, rename: Mapping[str, str] | None = None) -> None:
    for key, messages in exc.errors.items():
        name = (rename or {}).get(key, key)
        errors.setdefault(name, []).extend(messages)


def _region(by, code, errors: dict):
    if not code and getattr(by, "role", None) == "camat":
        code = by.region_code
    try:
        return require_region_in_scope(code, by, "region_code", levels=REPORT_LEVELS)
    except ValidationFailed as e:
        _merge(errors, e)
        return None


def _day(value, today: date, errors: dict) -> date | None:
    try:
        day = parse_date(value) if not isinstance(value, date) else value
    except Invalid as exc:
        errors["day"] = [str(exc)]
        return None
    day = day or today
    if day > today:
        errors["day"] = ["Tanggal laporan tidak boleh di masa depan."]
        return None
    return day


def _blanko_total(raw, key: str, errors: dict) -> int:
    try:
        value = parse_int(raw.get(key))
    except Invalid as exc:
        errors[key] = [str(exc)]
        return 0
    value = value or 0
    if value < 0:
        errors[key] = ["Tidak boleh negatif."]
    elif value > MAX_BLANKO_PER_DAY:
        errors[key] = [f"Terlalu besar untuk satu hari (maksimal {number(MAX_BLANKO_PER_DAY)})."]
    else:
        return value
    return 0


def _devices(by, region, devices, now: datetime, errors: dict) -> int:
    """Appends a status event for each device whose status, cause or party changed."""
    changed = 0
    for i, d in enumerate(devices or ()):
        prefix = f"devices.{i}"
        asset = asset_queries.get_asset(d.get("asset_id"))
        if asset is None or region is None or asset.region_code != region.code:
            errors[f"{prefix}.asset_id"] = ["Perangkat tidak ditemukan di kecamatan ini."]
            continue
        prefix = f"device_{asset.id}"
        status = d.get("status") or None
        cause = d.get("cause") or None if status != "operasional" else None
        party = d.get("responsible_party") or None if status != "operasional" else None
        if status == "dihapuskan":
            errors[f"{prefix}_status"] = [
                "Penghapusan aset tidak melalui laporan harian (menu Aset, oleh petugas aset)."
            ]
            continue
        if asset.status == "dihapuskan":
            errors[f"{prefix}_status"] = [f"{asset.name} sudah dihapuskan dari register."]
            continue
        last = asset_queries.latest_event(asset.id)
        current = (
            asset.status,
            last.cause if last else None,
            last.responsible_party if last else None,
        )
        if (status, cause, party) == current or (status == asset.status == "operasional"):
            continue
        try:
            asset_services.set_status(
                by, asset, status=status, cause=cause, responsible_party=party,
                note="Dari laporan harian.", now=now,
            )  # fmt: skip
            changed += 1
        except ValidationFailed as e:
            _merge(errors, e, {k: f"{prefix}_{k}" for k in e.errors})
    return changed


def _blanko(by, region, day: date, field: str, kind: str, diff: int, now, errors: dict) -> None:
    """Posts the difference of a blanko total: more cards as a new movement of `kind`; fewer
    as an adjustment back into the location's stock (Dinas staff only)."""
    if diff == 0 or region is None:
        return
    what = "dipakai" if kind == "pemakaian" else "rusak"
    reference = f"Laporan harian {day.isoformat()}"
    try:
        if diff > 0:
            blanko_services.record_movement(
                by, kind=kind, from_region=region.code, quantity=diff, occurred_at=now,
                reference=reference, note=f"Blanko {what} menurut laporan harian.", now=now,
            )  # fmt: skip
        elif not can(by, "blanko.write"):
            errors[field] = [
                f"Jumlah blanko {what} tidak dapat dikurangi dari laporan harian "
                f"(tercatat sebelumnya {number(-diff)} lebih banyak): minta petugas Dinas "
                "mencatat penyesuaian."
            ]
        else:
            blanko_services.record_movement(
                by, kind="penyesuaian", to_region=region.code, quantity=-diff, occurred_at=now,
                reference=reference, note=f"Koreksi laporan harian: blanko {what} berkurang.",
                now=now,
            )  # fmt: skip
    except (ValidationFailed, Forbidden) as e:
        messages = [m for ms in getattr(e, "errors", {}).values() for m in ms] or [str(e)]
        errors.setdefault(field, []).extend(messages)


def _existing(region_code: str, day: date) -> DailyReport | None:
    return db.session.scalar(
        sa.select(DailyReport)
        .where(DailyReport.region_code == region_code, DailyReport.day == day)
        .with_for_update()
    )


def file_daily_report(
    by,
    data: Mapping,
    *,
    idempotency_key: str | None = None,
    request_fingerprint: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> tuple[DailyReport, bool]:
    """Files (or corrects) one day's report; returns (report, written). A resend with the
    same idempotency key returns the report it wrote and writes nothing (written=False)."""
    if not can(by, "daily.file"):
        raise Forbidden("Peran Anda tidak dapat mengisi laporan harian.")
    key = idempotency.clean_key(idempotency_key)
    done = idempotency.replayed(by, SUBJECT, key, request_fingerprint)
    if done is not None:
        return _replay(done), False
    now = now or utcnow()
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    region = _region(by, data.get("region_code"), errors)
    day = _day(data.get("day"), today, errors)
    used = _blanko_total(data, "blanko_used", errors)
    damaged = _blanko_total(data, "blanko_damaged", errors)
    try:
        note = parse_text(data.get("note"), 2000)
    except Invalid as exc:
        errors["note"] = [str(exc)]
        note = None
    if errors:
        raise ValidationFailed(errors=errors)
    claim, done = idempotency.claim(by, SUBJECT, key, request_fingerprint)
    if done is not None:
        return _replay(done), False
    report = _existing(region.code, day)
    usage = None
    try:
        counts = {k: data.get(k) for k in COUNTS}
        usage, _ = asset_services.record_usage(
            by, {"region_code": region.code, "day": day, **counts}, today=today
        )
    except ValidationFailed as e:
        _merge(errors, e)
    changed = _devices(by, region, data.get("devices"), now, errors)
    before_used = report.blanko_used if report else 0
    before_damaged = report.blanko_damaged if report else 0
    _blanko(by, region, day, "blanko_used", "pemakaian", used - before_used, now, errors)
    _blanko(by, region, day, "blanko_damaged", "rusak", damaged - before_damaged, now, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    if report is None:
        report = DailyReport(region_code=region.code, day=day, created_by_id=_uid(by))
        db.session.add(report)
    else:
        report.corrections += 1
    report.usage_day_id = usage.id
    report.blanko_used, report.blanko_damaged = used, damaged
    report.devices_changed = (report.devices_changed or 0) + changed
    report.note = note
    report.idempotency_key = key
    report.updated_by_id = _uid(by)
    report.updated_at = now
    db.session.flush()
    if claim is not None:
        claim.subject_id = report.id
        db.session.flush()
    return report, True


def _replay(report_id: int) -> DailyReport:
    report = db.session.get(DailyReport, report_id)
    if report is None:
        raise NotFound("Laporan harian untuk kunci ini tidak ditemukan.")
    return report


# --- the public board's setting ------------------------------------------------------------


def set_board(by, region_code: str | None, *, enabled: bool, notice: str | None) -> StatusBoard:
    """Switches a kab/kota's public board on or off and sets its public notice."""
    if not can(by, "board.manage"):
        raise Forbidden("Peran Anda tidak dapat mengatur papan layanan.")
    code = require_setting_scope(by, region_code)
    if code is None:
        raise ValidationFailed(errors={"region_code": ["Pilih kabupaten/kota papan layanan."]})
    try:
        notice = parse_text(notice, MAX_NOTICE)
    except Invalid as exc:
        raise ValidationFailed(errors={"notice": [str(exc)]}) from None
    board = db.session.get(StatusBoard, code)
    if board is None:
        board = StatusBoard(region_code=code)
        db.session.add(board)
    board.enabled, board.notice = bool(enabled), notice
    db.session.flush()
    return board

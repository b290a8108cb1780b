"""Verbs of the inventarisasi: open a session, record scans and unregistered finds, submit
it, and the Kepala Dinas's confirmation that updates the register through the assets
services (a condition change or a relocation; "not found" only flags the asset)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assets_app.assets import queries as asset_queries
from assets_app.assets import services as asset_services
from assets_app.common import vocab as common_vocab
from assets_app.common.errors import Conflict, Forbidden, ValidationFailed
from assets_app.common.formatting import tanggal
from assets_app.common.permissions import can
from assets_app.common.timeutil import WIB, utcnow
from assets_app.common.validate import Invalid, parse_choice, parse_text
from assets_app.extensions import db
from assets_app.inventory import queries
from assets_app.inventory.models import (
    InventoryRegion,
    InventoryResult,
    InventoryScan,
    InventorySession,
)
from assets_app.inventory.photos import check_photo
from assets_app.regions.models import Region, kabkota_of
from assets_app.regions.scope import code_in_subtree, in_scope
from assets_app.regions.services import require_region_in_scope

SESSION_LEVELS = ("kabkota", "kecamatan")
PLACE_LEVELS = ("kabkota", "kecamatan")
MAX_REGIONS = 100
MAX_KEY = 100


def _uid(by) -> int | None:
    return getattr(by, "id", None)


def _text(value, max_len, field, errors, *, required: str | None = None):
    try:
        text = parse_text(value, max_len)
    except Invalid as exc:
        errors.setdefault(field, []).append(str(exc))
        return None
    if text is None and required:
        errors.setdefault(field, []).append(required)
    return text


# --- opening -------------------------------------------------------------------------------


def _check_regions(by, codes, errors) -> list[Region]:
    codes = [c.strip() for c in (codes or []) if c and str(c).strip()]
    codes = list(dict.fromkeys(codes))
    if not codes:
        errors["regions"] = ["Pilih kab/kota atau minimal satu kecamatan."]
        return []
    if len(codes) > MAX_REGIONS:
        errors["regions"] = [f"Paling banyak {MAX_REGIONS} kecamatan dalam satu inventarisasi."]
        return []
    regions = []
    for code in codes:
        try:
            regions.append(require_region_in_scope(code, by, "regions", levels=SESSION_LEVELS))
        except ValidationFailed as exc:
            for msg in exc.errors.get("regions", []):
                errors.setdefault("regions", []).append(msg)
    if errors.get("regions"):
        return []
    if len({kabkota_of(r.code) for r in regions}) > 1:
        errors["regions"] = ["Semua kecamatan harus berada dalam satu kab/kota."]
    elif any(r.level == "kabkota" for r in regions) and len(regions) > 1:
        errors["regions"] = [
            "Inventarisasi satu kab/kota sudah mencakup semua kecamatannya; pilih kab/kota "
            "saja atau kecamatan saja."
        ]
    return regions


def _overlapping(codes: list[str]) -> InventorySession | None:
    kab = kabkota_of(codes[0])
    running = db.session.scalars(
        sa.select(InventorySession).where(
            InventorySession.region_code == kab,
            InventorySession.status.in_(("berjalan", "diajukan")),
        )
    )
    for other in running:
        for a in other.region_codes:
            if any(code_in_subtree(a, b) or code_in_subtree(b, a) for b in codes):
                return other
    return None


def open_session(by, *, regions, title=None, note=None, now: datetime | None = None):
    """A session for a kab/kota, a kecamatan or a list of kecamatan in one kab/kota; a camat
    can open one only for their own kecamatan (their scope)."""
    if not can(by, "inventory.open"):
        raise Forbidden("Anda tidak berhak membuka inventarisasi.")
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    chosen = _check_regions(by, regions, errors)
    title = _text(title, 200, "title", errors)
    note = _text(note, 2000, "note", errors)
    if errors:
        raise ValidationFailed(errors=errors)
    codes = [r.code for r in chosen]
    other = _overlapping(codes)
    if other is not None:
        raise Conflict(
            f"Inventarisasi #{other.id} ({other.title}) untuk wilayah ini masih berjalan; "
            "selesaikan dulu sebelum membuka yang baru.",
            errors={"regions": [f"Inventarisasi #{other.id} untuk wilayah ini masih berjalan."]},
        )
    if not title:
        names = ", ".join(r.display_name for r in chosen[:3])
        more = f" dan {len(chosen) - 3} lainnya" if len(chosen) > 3 else ""
        title = f"Inventarisasi {names}{more} {tanggal(now.astimezone(WIB).date())}"[:200]
    session = InventorySession(
        region_code=kabkota_of(codes[0]),
        title=title,
        note=note,
        status="berjalan",
        opened_by_id=_uid(by),
        opened_at=now,
        regions=[InventoryRegion(region_code=c) for c in codes],
    )
    db.session.add(session)
    db.session.flush()
    return session


# --- scanning ------------------------------------------------------------------------------

NOT_KNOWN = (
    "Label atau nomor register tidak dikenal di register aset. Bila barangnya ada, catat "
    "sebagai barang tidak terdaftar."
)


def _require_running(session: InventorySession) -> None:
    if session.status != "berjalan":
        raise Conflict(
            f"Inventarisasi ini sudah {session.status_label.lower()}; temuan tidak dapat "
            "ditambahkan lagi."
        )


def _by_key(session, key: str | None) -> InventoryScan | None:
    if not key:
        return None
    return db.session.scalar(
        sa.select(InventoryScan).where(
            InventoryScan.session_id == session.id, InventoryScan.idempotency_key == key
        )
    )


def _check_key(key) -> str | None:
    key = (key or "").strip() or None
    if key is not None and (len(key) > MAX_KEY or not key.isprintable()):
        raise ValidationFailed(
            errors={"idempotency_key": [f"Idempotency-Key paling panjang {MAX_KEY} karakter."]}
        )
    return key


def _find_asset(session, by, asset_id, label_token, register_no):
    given = [v for v in (asset_id, label_token, register_no) if v not in (None, "")]
    if len(given) != 1:
        raise ValidationFailed(
            errors={"asset": ["Isi salah satu: label (kode QR), nomor register atau asset_id."]}
        )
    if asset_id not in (None, ""):
        asset = asset_queries.get_asset(asset_id)
        found = [asset] if asset else []
    elif label_token not in (None, ""):
        asset = asset_queries.asset_by_label(str(label_token))
        found = [asset] if asset else []
    else:
        found = asset_queries.assets_by_register(str(register_no), session.region_codes)
        if len(found) > 1:
            raise ValidationFailed(
                errors={
                    "asset": [
                        f"Nomor register {register_no} dipakai {len(found)} aset di wilayah ini; "
                        "ketik kode barang/nomor register, misalnya "
                        f"{found[0].kode_barang}/{found[0].register_no}."
                    ]
                }
            )
    if not found:
        raise ValidationFailed(errors={"asset": [NOT_KNOWN]})
    asset = found[0]
    if not in_scope(by, asset.region_code):
        raise ValidationFailed(
            errors={
                "asset": [
                    "Aset ini terdaftar di luar cakupan wilayah Anda; bila barangnya ada di "
                    "sini, catat sebagai barang tidak terdaftar."
                ]
            }
        )
    if asset.status == "dihapuskan":
        raise ValidationFailed(
            errors={"asset": [f"Aset {_ref(asset)} sudah dihapuskan dari register."]}
        )
    if not queries.session_covers(session, asset.region_code):
        region = asset_queries.region_names([asset.region_code]).get(asset.region_code)
        raise ValidationFailed(
            errors={
                "asset": [
                    f"Aset {_ref(asset)} terdaftar di {region or asset.region_code}, di luar "
                    "cakupan inventarisasi ini."
                ]
            }
        )
    return asset


def _ref(asset) -> str:
    return f"{asset.kode_barang}/{asset.register_no} ({asset.name})"


def _place(by, session, code, errors) -> str | None:
    code = (code or "").strip() if isinstance(code, str) else code
    if not code:
        return None
    try:
        region = require_region_in_scope(code, by, "found_in_region", levels=PLACE_LEVELS)
    except ValidationFailed as exc:
        errors.setdefault("found_in_region", []).extend(exc.errors.get("found_in_region", []))
        return None
    if kabkota_of(region.code) != session.region_code:
        errors.setdefault("found_in_region", []).append(
            "Lokasi temuan harus di kab/kota yang sama dengan inventarisasi ini."
        )
        return None
    return region.code


def _condition(value, errors, *, required: bool) -> str | None:
    try:
        cond = parse_choice(value, common_vocab.CONDITION)
    except Invalid:
        cond = None
        value = None
        errors["condition"] = ["Pilih kondisi: B (Baik), KB (Kurang Baik) atau RB (Rusak Berat)."]
    if cond is None and required and "condition" not in errors:
        errors["condition"] = ["Kondisi wajib dipilih: B, KB atau RB."]
    return cond


def _insert(scan: InventoryScan, session, asset_id) -> tuple[InventoryScan, bool]:
    """Adds the scan; a concurrent scan of the same asset (or key) wins and is returned."""
    try:
        with db.session.begin_nested():
            db.session.add(scan)
            db.session.flush()
    except IntegrityError:
        existing = _by_key(session, scan.idempotency_key)
        if existing is None and asset_id is not None:
            existing = _scan_of_asset(session, asset_id)
        if existing is None:
            raise
        return existing, False
    return scan, True


def _scan_of_asset(session, asset_id) -> InventoryScan | None:
    return db.session.scalar(
        sa.select(InventoryScan).where(
            InventoryScan.session_id == session.id, InventoryScan.asset_id == asset_id
        )
    )


def record_scan(
    by,
    session: InventorySession,
    *,
    asset_id=None,
    label_token=None,
    register_no=None,
    condition=None,
    note=None,
    found_in_region=None,
    photo: bytes | None = None,
    idempotency_key=None,
    now: datetime | None = None,
) -> tuple[InventoryScan, bool]:
    """Marks a registered asset *ditemukan*. Returns (scan, created): the same asset scanned
    again, or the same Idempotency-Key sent again, returns the first scan unchanged."""
    if not can(by, "inventory.scan"):
        raise Forbidden("Anda tidak berhak mencatat hasil inventarisasi.")
    key = _check_key(idempotency_key)
    replay = _by_key(session, key)
    if replay is not None:
        return replay, False
    _require_running(session)
    asset = _find_asset(session, by, asset_id, label_token, register_no)
    earlier = _scan_of_asset(session, asset.id)
    if earlier is not None:
        return earlier, False
    errors: dict[str, list[str]] = {}
    cond = _condition(condition, errors, required=True)
    note = _text(note, 2000, "note", errors)
    place = _place(by, session, found_in_region, errors)
    try:
        checked = check_photo(photo)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        checked = None
    if errors:
        raise ValidationFailed(errors=errors)
    scan = InventoryScan(
        session_id=session.id,
        asset_id=asset.id,
        condition=cond,
        found_in_region=place if place != asset.region_code else None,
        note=note,
        photo=checked[0] if checked else None,
        photo_type=checked[1] if checked else None,
        idempotency_key=key,
        scanned_by_id=_uid(by),
        scanned_at=now or utcnow(),
    )
    return _insert(scan, session, asset.id)


def record_unregistered(
    by,
    session: InventorySession,
    *,
    description=None,
    condition=None,
    note=None,
    found_in_region=None,
    photo: bytes | None = None,
    idempotency_key=None,
    now: datetime | None = None,
) -> tuple[InventoryScan, bool]:
    """A find that is not in the register (no label, or a label from elsewhere)."""
    if not can(by, "inventory.scan"):
        raise Forbidden("Anda tidak berhak mencatat hasil inventarisasi.")
    key = _check_key(idempotency_key)
    replay = _by_key(session, key)
    if replay is not None:
        return replay, False
    _require_running(session)
    errors: dict[str, list[str]] = {}
    description = _text(
        description, 500, "description", errors, required="Uraikan barang yang ditemukan."
    )
    cond = _condition(condition, errors, required=False)
    note = _text(note, 2000, "note", errors)
    place = _place(by, session, found_in_region, errors)
    if place is None and not errors.get("found_in_region"):
        own = [c for c in session.region_codes if in_scope(by, c)]
        place = own[0] if len(own) == 1 else None
        if place is None and by.region_code and queries.session_covers(session, by.region_code):
            place = by.region_code
    if place is not None and not queries.session_covers(session, place):
        errors.setdefault("found_in_region", []).append(
            "Lokasi temuan harus di wilayah inventarisasi ini."
        )
    try:
        checked = check_photo(photo)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        checked = None
    if errors:
        raise ValidationFailed(errors=errors)
    scan = InventoryScan(
        session_id=session.id,
        asset_id=None,
        condition=cond,
        found_in_region=place,
        description=description,
        note=note,
        photo=checked[0] if checked else None,
        photo_type=checked[1] if checked else None,
        idempotency_key=key,
        scanned_by_id=_uid(by),
        scanned_at=now or utcnow(),
    )
    return _insert(scan, session, None)


# --- closing -------------------------------------------------------------------------------


def submit_session(by, session: InventorySession, *, now: datetime | None = None):
    """The petugas or camat has finished: scanning stops, the Kepala Dinas confirms."""
    if not can(by, "inventory.scan"):
        raise Forbidden("Anda tidak berhak mengajukan hasil inventarisasi.")
    _require_running(session)
    session.status = "diajukan"
    session.submitted_by_id = _uid(by)
    session.submitted_at = now or utcnow()
    db.session.flush()
    return session


def confirm_session(by, session: InventorySession, *, note=None, now: datetime | None = None):
    """The Kepala Dinas confirms the result: every expected asset gets its result frozen and
    the register is updated through `assets.services.record_inventory_result` (condition,
    relocation, the last-inventory flag). Whoever opened the session may not confirm it."""
    if not can(by, "inventory.confirm"):
        raise Forbidden("Hanya Kepala Dinas yang dapat mengonfirmasi hasil inventarisasi.")
    if not in_scope(by, session.region_code):
        raise Forbidden("Inventarisasi ini di luar wilayah Anda.")
    if session.opened_by_id is not None and session.opened_by_id == _uid(by):
        raise Forbidden(
            "Hasil inventarisasi harus dikonfirmasi oleh pejabat lain dari yang membukanya."
        )
    if session.status == "selesai":
        raise Conflict("Inventarisasi ini sudah dikonfirmasi.")
    errors: dict[str, list[str]] = {}
    note = _text(note, 2000, "note", errors)
    if errors:
        raise ValidationFailed(errors=errors)
    now = now or utcnow()
    day = now.astimezone(WIB).date()
    groups = queries.groups_of(session)
    moved = {ln.asset_id for ln in groups.lines["moved"]}
    for key, result in (("found", "ditemukan"), ("not_found", "tidak_ditemukan")):
        for line in groups.lines[key]:
            _apply(by, session, line, result, line.asset_id in moved, day)
    session.status = "selesai"
    session.confirmed_by_id = _uid(by)
    session.confirmed_at = now
    session.confirm_note = note
    if session.submitted_at is None:
        session.submitted_at = now
        session.submitted_by_id = _uid(by)
    db.session.flush()
    return session


def _apply(by, session, line, result: str, moved: bool, day) -> None:
    asset = asset_queries.get_asset(line.asset_id)
    found = result == "ditemukan"
    db.session.add(
        InventoryResult(
            session_id=session.id,
            asset_id=asset.id,
            result=result,
            condition_before=asset.condition,
            condition_after=line.condition_after if found else None,
            region_before=asset.region_code,
            region_after=(line.found_in_region if moved else asset.region_code) if found else None,
            unit_price=asset.unit_price,
        )
    )
    try:
        asset_services.record_inventory_result(
            by,
            asset,
            on=day,
            result=result,
            condition=line.condition_after if found else None,
            region_code=line.found_in_region if (found and moved) else None,
        )
    except ValidationFailed as exc:
        detail = " ".join(m for msgs in exc.errors.values() for m in msgs)
        raise ValidationFailed(
            errors={"asset": [f"Register aset {_ref(asset)} tidak dapat diperbarui: {detail}"]}
        ) from exc

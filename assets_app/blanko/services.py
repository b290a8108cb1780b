"""The blanko ledger rules. Every write (web, API, CLI, demo) goes through these functions.

Balances never go negative: stock leaves a location only through a conditional
`UPDATE blanko_balances … WHERE on_hand - reserved >= :q` whose row count is checked, which is
atomic on PostgreSQL (the row lock makes a racing transaction re-check the condition) and on
SQLite (one writer at a time). Balance rows are always locked in region-code order, so two
transfers in opposite directions cannot deadlock.

Services flush, never commit; on a DomainError the caller rolls the whole transaction back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from assets_app.blanko import serials
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    TRANSFER_KINDS,
    BlankoApproval,
    BlankoBalance,
    BlankoLocationSetting,
    BlankoMovement,
    BlankoReceipt,
    BlankoRequest,
    BlankoSerialRange,
    BlankoStockOpname,
)
from assets_app.common import vocab
from assets_app.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.common.permissions import can
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope

LOCATION_LEVELS = ("kabkota", "kecamatan")
DEFAULT_LOW_STOCK_DAYS = 7
DEFAULT_LEAD_TIME_DAYS = 14
REVIEW_DAYS = 30  # a request should cover this many days after it arrives
USAGE_WINDOW_DAYS = 30
MAX_QUANTITY = 10_000_000
FUTURE_SKEW = timedelta(minutes=10)

# Which permission each kind of movement needs (scope decides *where*).
KIND_ACTION = {
    "penerimaan": "blanko.write",
    "distribusi": "blanko.write",
    "pengembalian": "blanko.use",
    "pemakaian": "blanko.use",
    "rusak": "blanko.use",
    "penyesuaian": "blanko.write",
}
DITJEN = "Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri"

_BAL = BlankoBalance.__table__
_SERIAL_LOCK_KEY = 7_270_001  # PostgreSQL advisory lock: penerimaan serial checks


# --- locations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    code: str
    name: str
    level: str
    parent_code: str | None

    @property
    def label(self) -> str:
        return location_label(self.level, self.name)

    @property
    def kab_code(self) -> str:
        return self.code if self.level == "kabkota" else (self.parent_code or self.code)

    @property
    def is_dinas(self) -> bool:
        return self.level == "kabkota"


def location_label(level: str, name: str) -> str:
    if level == "kabkota":
        return f"Gudang Dinas {name.replace('Kabupaten ', 'Kab. ', 1)}"
    if level == "kecamatan":
        return f"Kec. {name}"
    return name


def get_location(code: str) -> Location | None:
    region = db.session.get(Region, code)
    if region is None or region.level not in LOCATION_LEVELS:
        return None
    return Location(region.code, region.name, region.level, region.parent_code)


def get_location_or_404(by, code: str) -> Location:
    loc = get_location(code)
    if loc is None or not in_scope(by, loc.code):
        raise NotFound("Lokasi blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return loc


def location_choices(by, levels=LOCATION_LEVELS, *, as_region=False) -> list[tuple[str, str]]:
    """(code, label) for select boxes: regions of `levels` inside the user's scope, labelled
    as stock locations ("Gudang Dinas …") or, for region filters, as regions."""
    from assets_app.regions.scope import scope_clause

    stmt = (
        sa.select(Region.code, Region.name, Region.level)
        .where(scope_clause(Region.code, by), Region.level.in_(levels))
        .order_by(Region.code)
    )
    return [
        (c, f"{c} — {n if as_region and lv != 'kecamatan' else location_label(lv, n)}")
        for c, n, lv in db.session.execute(stmt)
    ]


def location_names(codes) -> dict[str, str]:
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    rows = db.session.execute(
        sa.select(Region.code, Region.name, Region.level).where(Region.code.in_(codes))
    )
    return {c: location_label(lv, n) for c, n, lv in rows}


def _location(
    code, by, field: str, errors: dict, levels=LOCATION_LEVELS, required=True
) -> Location | None:
    code = (code or "").strip() if isinstance(code, str) else code
    if not code:
        if required:
            errors.setdefault(field, []).append("Lokasi wajib diisi.")
        return None
    if not isinstance(code, str):
        errors.setdefault(field, []).append("Kode wilayah harus berupa teks.")
        return None
    loc = get_location(code)
    if loc is None:
        errors.setdefault(field, []).append(
            f"Kode wilayah {code} bukan lokasi blanko (gudang Dinas kab/kota atau kecamatan)."
        )
        return None
    if not in_scope(by, loc.code):
        errors.setdefault(field, []).append(f"Wilayah {code} di luar cakupan wilayah Anda.")
        return None
    if loc.level not in levels:
        want = " atau ".join("gudang Dinas (kab/kota)" if lv == "kabkota" else lv for lv in levels)
        errors.setdefault(field, []).append(
            f"{loc.label} tidak dapat dipakai di sini: harus {want}."
        )
        return None
    return loc


# --- small validators ------------------------------------------------------------------------


def _require(by, action: str) -> None:
    if not can(by, action):
        raise Forbidden("Peran Anda tidak diizinkan melakukan tindakan ini.")


def _quantity(value, errors: dict, field: str = "quantity", allow_zero=False) -> int | None:
    if value is None or value == "":
        errors.setdefault(field, []).append("Jumlah wajib diisi.")
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append("Jumlah harus berupa bilangan bulat.")
        return None
    try:
        q = int(value)
        if isinstance(value, float) and q != value:
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault(field, []).append("Jumlah harus berupa bilangan bulat.")
        return None
    low = 0 if allow_zero else 1
    if q < low:
        errors.setdefault(field, []).append(
            "Jumlah tidak boleh negatif." if allow_zero else "Jumlah harus lebih dari 0."
        )
        return None
    if q > MAX_QUANTITY:
        errors.setdefault(field, []).append(
            f"Jumlah paling banyak {MAX_QUANTITY:,}.".replace(",", ".")
        )
        return None
    return q


def _when(value, errors: dict, field: str, now: datetime, not_before: datetime | None = None):
    if value is None or value == "":
        when = now
    elif isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=WIB)
    elif isinstance(value, date):
        when = datetime.combine(value, time(12, 0), WIB)
    else:
        try:
            when = datetime.fromisoformat(str(value))
        except ValueError:
            errors.setdefault(field, []).append("Waktu tidak valid (format ISO 8601).")
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=WIB)
    if when > now + FUTURE_SKEW:
        errors.setdefault(field, []).append("Waktu tidak boleh di masa depan.")
        return None
    if when.year < 2000:
        errors.setdefault(field, []).append("Waktu terlalu lampau.")
        return None
    # Forms give minutes only: a receipt typed in the minute of dispatch is not "before" it.
    if not_before is not None and when < not_before.replace(second=0, microsecond=0):
        errors.setdefault(field, []).append("Waktu tidak boleh sebelum waktu mutasi yang dirujuk.")
        return None
    return when.astimezone(UTC)


def _text(value, errors: dict, field: str, max_len: int, required_msg: str | None = None):
    value = (value or "").strip() if isinstance(value, str | type(None)) else None
    if value is None:
        errors.setdefault(field, []).append("Harus berupa teks.")
        return None
    if not value:
        if required_msg:
            errors.setdefault(field, []).append(required_msg)
        return None
    if len(value) > max_len:
        errors.setdefault(field, []).append(f"Maksimal {max_len} karakter.")
        return None
    return value


# --- balances --------------------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _ensure_balances(codes) -> None:
    """A balance row per location, created on first use (both databases, no race)."""
    for code in sorted(set(codes)):
        values = {"region_code": code, "on_hand": 0, "in_transit_in": 0, "reserved": 0}
        values["updated_at"] = utcnow()
        if _dialect() == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        db.session.execute(
            insert(_BAL).values(**values).on_conflict_do_nothing(index_elements=["region_code"])
        )


def balance_of(code: str) -> BlankoBalance:
    """Fresh numbers of one location (a transient object; zero when never used)."""
    row = db.session.execute(
        sa.select(_BAL.c.on_hand, _BAL.c.in_transit_in, _BAL.c.reserved).where(
            _BAL.c.region_code == code
        )
    ).first()
    if row is None:
        return BlankoBalance(region_code=code, on_hand=0, in_transit_in=0, reserved=0)
    return BlankoBalance(
        region_code=code,
        on_hand=row.on_hand,
        in_transit_in=row.in_transit_in,
        reserved=row.reserved,
    )


def _short(loc: Location, qty: int, action: str = "") -> ValidationFailed:
    bal = balance_of(loc.code)
    extra = f" ({bal.reserved} keping menunggu persetujuan penghapusan)" if bal.reserved else ""
    return ValidationFailed(
        errors={
            "quantity": [
                f"Stok di {loc.label} tidak cukup{action}: tersedia {bal.available}{extra}, "
                f"diminta {qty}."
            ]
        }
    )


def _apply(
    op: str, loc: Location, qty: int, qty2: int = 0, *, action: str = "", _retry: bool = False
) -> None:
    """One balance change, as a single conditional UPDATE; raises when it would go negative."""
    c = _BAL.c
    now = utcnow()
    if op == "take":  # cards leave: only what is available (not reserved)
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code, c.on_hand - c.reserved >= qty)
            .values(on_hand=c.on_hand - qty, updated_at=now)
        )
    elif op == "reserve":  # pending write-off: still on hand, no longer available
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code, c.on_hand - c.reserved >= qty)
            .values(reserved=c.reserved + qty, updated_at=now)
        )
    elif op == "write_off":  # approved: reserved cards leave
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code, c.reserved >= qty, c.on_hand >= qty)
            .values(on_hand=c.on_hand - qty, reserved=c.reserved - qty, updated_at=now)
        )
    elif op == "release":  # rejected: reserved cards become available again
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code, c.reserved >= qty)
            .values(reserved=c.reserved - qty, updated_at=now)
        )
    elif op == "add":
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code)
            .values(on_hand=c.on_hand + qty, updated_at=now)
        )
    elif op == "expect":  # a transfer is on its way here
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code)
            .values(in_transit_in=c.in_transit_in + qty, updated_at=now)
        )
    elif op == "arrive":  # qty was in transit, qty2 actually arrived
        stmt = (
            sa.update(_BAL)
            .where(c.region_code == loc.code, c.in_transit_in >= qty)
            .values(in_transit_in=c.in_transit_in - qty, on_hand=c.on_hand + qty2, updated_at=now)
        )
    elif op == "lock":  # no change: take the row lock before reading the balance
        stmt = sa.update(_BAL).where(c.region_code == loc.code).values(updated_at=now)
    else:  # pragma: no cover - programming error
        raise ValueError(op)
    result = db.session.execute(stmt)
    if result.rowcount == 1:
        return
    if op in ("add", "expect", "lock") and not _retry:
        # First movement at this location: create its balance row, then apply again.
        _ensure_balances([loc.code])
        return _apply(op, loc, qty, qty2, action=action, _retry=True)
    if op in ("take", "reserve"):
        raise _short(loc, qty, action)
    raise Conflict(
        f"Saldo {loc.label} tidak sesuai dengan buku mutasi; jalankan `flask blanko check`."
    )


# --- movements -------------------------------------------------------------------------------


def _resolve_sides(kind, by, from_region, to_region, errors) -> tuple[Location | None, ...]:
    """Validates the locations a kind needs; returns (from, to)."""
    if kind == "penerimaan":
        if from_region:
            errors.setdefault("from_region", []).append(
                "Penerimaan datang dari Ditjen Dukcapil: kosongkan lokasi asal."
            )
        dst = _location(to_region, by, "to_region", errors, levels=("kabkota",))
        return None, dst
    if kind == "distribusi":
        src = _location(from_region, by, "from_region", errors, levels=("kabkota",))
        dst = _location(to_region, by, "to_region", errors, levels=("kecamatan",))
        if src and dst and dst.parent_code != src.code:
            errors.setdefault("to_region", []).append(
                f"{dst.label} bukan kecamatan di bawah {src.label}."
            )
        return src, dst
    if kind == "pengembalian":
        src = _location(from_region, by, "from_region", errors, levels=("kecamatan",))
        if src and not to_region:
            to_region = src.parent_code
        dst = None
        if to_region:
            dst = get_location(to_region)
            if dst is None or dst.level != "kabkota":
                errors.setdefault("to_region", []).append(
                    "Pengembalian harus ke gudang Dinas kab/kota kecamatan itu."
                )
                dst = None
            elif src and src.parent_code != dst.code:
                errors.setdefault("to_region", []).append(
                    f"{src.label} hanya dapat mengembalikan blanko ke gudang Dinas kab/kota "
                    f"induknya ({src.parent_code})."
                )
                dst = None
        return src, dst
    if kind in ("pemakaian", "rusak"):
        # One location; accept it in from_region (the contract) or, leniently, to_region.
        code = from_region or to_region
        field = "from_region" if from_region or not to_region else "to_region"
        return _location(code, by, field, errors), None
    if kind == "penyesuaian":
        if bool(from_region) == bool(to_region):
            errors.setdefault("from_region", []).append(
                "Penyesuaian: isi lokasi asal (stok berkurang) atau lokasi tujuan (stok bertambah),"
                " salah satu saja."
            )
            return None, None
        if from_region:
            return _location(from_region, by, "from_region", errors), None
        return None, _location(to_region, by, "to_region", errors)
    return None, None


def record_movement(
    by,
    *,
    kind: str,
    from_region: str | None = None,
    to_region: str | None = None,
    quantity=None,
    occurred_at=None,
    reference: str | None = None,
    bast_date: date | None = None,
    note: str | None = None,
    serial_ranges=None,
    request_id: int | None = None,
    now: datetime | None = None,
) -> BlankoMovement:
    """Posts one movement of any kind; see the module docstring for the balance rules.

    penerimaan → Dinas on hand; distribusi/pengembalian → leaves the sender, in transit to the
    receiver until `receive_movement`; pemakaian → leaves the location; rusak and penyesuaian
    → pending until `decide_movement` (a decrease reserves the cards meanwhile)."""
    if kind not in vocab.BLANKO_MOVEMENT:
        raise ValidationFailed(
            errors={
                "kind": [f"Jenis mutasi harus salah satu dari: {', '.join(vocab.BLANKO_MOVEMENT)}."]
            }
        )
    _require(by, KIND_ACTION[kind])
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    src, dst = _resolve_sides(kind, by, from_region, to_region, errors)
    qty = _quantity(quantity, errors)
    when = _when(occurred_at, errors, "occurred_at", now)
    ref = _text(
        reference,
        errors,
        "reference",
        120,
        "Nomor BAST wajib diisi untuk penerimaan." if kind == "penerimaan" else None,
    )
    note_ = _text(
        note,
        errors,
        "note",
        2000,
        "Alasan penyesuaian wajib diisi." if kind == "penyesuaian" else None,
    )
    if kind == "penerimaan":
        if bast_date is None or bast_date == "":
            errors.setdefault("bast_date", []).append("Tanggal BAST wajib diisi untuk penerimaan.")
        elif not isinstance(bast_date, date):
            try:
                bast_date = date.fromisoformat(str(bast_date))
            except ValueError:
                errors.setdefault("bast_date", []).append(
                    "Tanggal tidak valid (format YYYY-MM-DD)."
                )
                bast_date = None
        if isinstance(bast_date, date) and bast_date > now.astimezone(WIB).date():
            errors.setdefault("bast_date", []).append("Tanggal BAST tidak boleh di masa depan.")
    else:
        bast_date = None
    ranges: list = []
    try:
        if isinstance(serial_ranges, str):
            ranges = serials.parse_ranges_text(serial_ranges)
        else:
            ranges = serials.parse_ranges(serial_ranges)
    except ValidationFailed as e:
        for k, v in e.errors.items():
            errors.setdefault(k, []).extend(v)
    if ranges and kind == "penyesuaian":
        errors.setdefault("serial_ranges", []).append(
            "Penyesuaian hasil stock opname tidak memakai nomor seri."
        )
    if ranges and qty is not None and serials.total(ranges) != qty:
        errors.setdefault("serial_ranges", []).append(
            f"Jumlah nomor seri ({serials.total(ranges)}) tidak sama dengan jumlah keping ({qty})."
        )
    request = None
    if request_id not in (None, ""):
        if kind != "penerimaan":
            errors.setdefault("request_id", []).append("Hanya penerimaan yang memenuhi permintaan.")
        else:
            request = db.session.get(BlankoRequest, _int_or_none(request_id))
            if request is None or not in_scope(by, request.region_code):
                errors.setdefault("request_id", []).append("Permintaan blanko tidak ditemukan.")
                request = None
            elif dst and request.region_code != dst.code:
                errors.setdefault("request_id", []).append("Permintaan itu milik kab/kota lain.")
            elif request.status != "open":
                errors.setdefault("request_id", []).append(
                    f"Permintaan {request.letter_no} sudah {request.status_label.lower()}."
                )
    if errors:
        raise ValidationFailed(errors=errors)
    return _post(by, kind, src, dst, qty, when, ref, bast_date, note_, ranges, request)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _post(by, kind, src, dst, qty, when, ref, bast_date, note, ranges, request) -> BlankoMovement:
    # Without serial numbers the ledger row is written first and the balance rows are locked
    # last, just before the commit, so a busy location's row is held as briefly as possible.
    # With serial numbers the locations are locked first: their serial blocks are read and
    # carved under that lock.
    if ranges:
        _move_balances(kind, src, dst, qty)
        if kind == "penerimaan":
            if _dialect() == "postgresql":
                db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_SERIAL_LOCK_KEY)))
            clash = serials.previously_received(ranges)
            if clash:
                shown = ", ".join(serials.fmt_range(r) for r in clash[:5])
                raise ValidationFailed(
                    errors={
                        "serial_ranges": [f"Nomor seri {shown} sudah pernah diterima sebelumnya."]
                    }
                )
    movement = BlankoMovement(
        kind=kind,
        region_code=_scope_code(kind, src, dst),
        from_region=src.code if src else None,
        to_region=dst.code if dst else None,
        quantity=qty,
        occurred_at=when,
        reference=ref,
        bast_date=bast_date,
        note=note,
        request_id=request.id if request else None,
        author_id=getattr(by, "id", None),
    )
    db.session.add(movement)
    if request is not None:
        request.status = "closed"
    db.session.flush()
    if ranges:
        for s, e in ranges:
            db.session.add(BlankoSerialRange(movement_id=movement.id, start_no=s, end_no=e))
        if kind == "penerimaan":
            serials.add(dst.code, "held", ranges, None)
        else:
            serials.carve(src.code, "held", ranges, place=src.label)
            if kind in TRANSFER_KINDS:
                serials.add(dst.code, "in_transit", ranges, movement.id)
            elif kind == "rusak":
                serials.add(src.code, "reserved", ranges, movement.id)
        db.session.flush()
    else:
        _move_balances(kind, src, dst, qty)
    return movement


def _move_balances(kind, src, dst, qty) -> None:
    """The balance changes of a new movement, in region-code order (the Dinas before its
    kecamatan), so two transfers in opposite directions never wait on each other crosswise."""
    for side in sorted((s for s in (src, dst) if s is not None), key=lambda s: s.code):
        if side is src:
            if kind in ("rusak", "penyesuaian"):
                _apply(
                    "reserve",
                    src,
                    qty,
                    action=" untuk mencatat kartu rusak" if kind == "rusak" else "",
                )
            else:
                _apply("take", src, qty)
        elif kind in TRANSFER_KINDS:
            _apply("expect", dst, qty)
        elif kind == "penerimaan":
            _apply("add", dst, qty)
        # a positive penyesuaian changes nothing until it is approved


def _scope_code(kind, src: Location | None, dst: Location | None) -> str:
    """The most specific location of a movement (the kecamatan of a transfer)."""
    if kind in TRANSFER_KINDS:
        return src.code if src.level == "kecamatan" else dst.code
    return (src or dst).code


def _movement_for_update(by, movement_id) -> BlankoMovement:
    movement = db.session.get(BlankoMovement, _int_or_none(movement_id) or 0)
    if movement is None or not in_scope(by, movement.region_code):
        raise NotFound("Mutasi blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return movement


def receive_movement(
    by,
    movement_id: int,
    *,
    quantity_received,
    note: str | None = None,
    received_at=None,
    now: datetime | None = None,
) -> BlankoReceipt:
    """The destination confirms a distribusi/pengembalian. A different quantity needs a reason;
    the difference is kept on the receipt and shown wherever the transfer is."""
    _require(by, "blanko.receive")
    movement = _movement_for_update(by, movement_id)
    if movement.kind not in TRANSFER_KINDS:
        raise ValidationFailed(
            f"Mutasi {movement.kind_label.lower()} tidak memerlukan konfirmasi penerimaan."
        )
    if not in_scope(by, movement.to_region):
        raise NotFound("Mutasi blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    got = _quantity(quantity_received, errors, "quantity_received", allow_zero=True)
    when = _when(received_at, errors, "received_at", now, not_before=movement.occurred_at)
    note_ = _text(note, errors, "note", 2000)
    if got is not None and got != movement.quantity and not note_:
        errors.setdefault("note", []).append(
            f"Jumlah diterima ({got}) berbeda dari yang dikirim ({movement.quantity}): "
            "alasan selisih wajib diisi."
        )
    if errors:
        raise ValidationFailed(errors=errors)
    dst = get_location(movement.to_region)
    _apply("arrive", dst, movement.quantity, got)
    # After the row lock: a racing confirmation of the same transfer has committed by now.
    if _has_receipt(movement.id):
        raise Conflict("Mutasi ini sudah dikonfirmasi diterima.")
    receipt = BlankoReceipt(
        movement_id=movement.id,
        region_code=movement.to_region,
        quantity_sent=movement.quantity,
        quantity_received=got,
        received_at=when,
        note=note_,
        author_id=getattr(by, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(receipt)
    except sa.exc.IntegrityError as exc:
        raise Conflict("Mutasi ini sudah dikonfirmasi diterima.") from exc
    serials.set_state(movement.id, "in_transit", "held")
    db.session.flush()
    return receipt


def _has_receipt(movement_id: int) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(BlankoReceipt)
            .where(BlankoReceipt.movement_id == movement_id)
        )
    )


def _has_approval(movement_id: int) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(BlankoApproval)
            .where(BlankoApproval.movement_id == movement_id)
        )
    )


def decide_movement(
    by,
    movement_id: int,
    *,
    approved,
    berita_acara_no: str | None = None,
    note: str | None = None,
    decided_at=None,
    now: datetime | None = None,
) -> BlankoApproval:
    """A kadis approves (with a berita acara number) or rejects a rusak/penyesuaian.
    Approval moves the balance; rejection leaves it as it was."""
    _require(by, "blanko.approve")
    movement = _movement_for_update(by, movement_id)
    if movement.kind not in APPROVAL_KINDS:
        raise ValidationFailed(
            f"Mutasi {movement.kind_label.lower()} tidak memerlukan persetujuan."
        )
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    if not isinstance(approved, bool):
        errors.setdefault("approved", []).append("Pilih setujui atau tolak.")
    ba = _text(berita_acara_no, errors, "berita_acara_no", 120)
    if approved is True and not ba:
        errors.setdefault("berita_acara_no", []).append(
            "Nomor berita acara wajib diisi untuk menyetujui."
        )
    note_ = _text(note, errors, "note", 2000)
    when = _when(decided_at, errors, "decided_at", now, not_before=movement.occurred_at)
    if errors:
        raise ValidationFailed(errors=errors)
    loc = get_location(movement.location_code)
    if movement.from_region:  # a decrease: the cards were reserved when it was recorded
        _apply("write_off" if approved else "release", loc, movement.quantity)
    elif approved:  # an increase from a stock opname
        _apply("add", loc, movement.quantity)
    else:
        _apply("lock", loc, 0)
    if _has_approval(movement.id):
        raise Conflict("Mutasi ini sudah diputuskan.")
    decision = BlankoApproval(
        movement_id=movement.id,
        region_code=movement.region_code,
        approved=approved,
        berita_acara_no=ba,
        decided_at=when,
        note=note_,
        author_id=getattr(by, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(decision)
    except sa.exc.IntegrityError as exc:
        raise Conflict("Mutasi ini sudah diputuskan.") from exc
    if movement.kind == "rusak":
        if approved:
            serials.drop(movement.id, "reserved")
        else:
            serials.set_state(movement.id, "reserved", "held")
    db.session.flush()
    return decision


def correct_movement(
    by, movement_id: int, *, quantity, reason: str | None, now: datetime | None = None
) -> BlankoMovement:
    """A wrong penerimaan or pemakaian is corrected by a new penyesuaian in the opposite
    direction (never by editing it); like every penyesuaian it waits for kadis approval."""
    _require(by, "blanko.write")
    original = _movement_for_update(by, movement_id)
    if original.kind not in ("penerimaan", "pemakaian"):
        raise ValidationFailed(
            f"Mutasi {original.kind_label.lower()} dikoreksi lewat konfirmasi penerimaan, "
            "keputusan Kepala Dinas, atau stock opname."
        )
    errors: dict[str, list[str]] = {}
    qty = _quantity(quantity, errors)
    if qty is not None and qty > original.quantity:
        errors.setdefault("quantity", []).append(
            f"Koreksi paling banyak {original.quantity} keping (jumlah mutasi #{original.id})."
        )
    reason_ = _text(reason, errors, "note", 2000, "Alasan koreksi wajib diisi.")
    if errors:
        raise ValidationFailed(errors=errors)
    sides = (
        {"from_region": original.to_region}
        if original.kind == "penerimaan"
        else {"to_region": original.from_region}
    )
    return record_movement(
        by,
        kind="penyesuaian",
        quantity=qty,
        reference=f"Koreksi #{original.id}",
        note=f"Koreksi mutasi #{original.id} ({original.kind_label.lower()}): {reason_}",
        now=now,
        **sides,
    )


def record_stock_opname(
    by,
    *,
    region_code: str,
    counted_quantity,
    reason: str | None = None,
    counted_at=None,
    now: datetime | None = None,
) -> BlankoStockOpname:
    """A physical count. The difference from the book (on hand, including cards reserved for
    pending write-offs) is posted as a penyesuaian that waits for kadis approval."""
    _require(by, "blanko.write")
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    loc = _location(region_code, by, "region_code", errors)
    counted = _quantity(counted_quantity, errors, "counted_quantity", allow_zero=True)
    when = _when(counted_at, errors, "counted_at", now)
    reason_ = _text(reason, errors, "reason", 2000)
    if errors:
        raise ValidationFailed(errors=errors)
    _apply("lock", loc, 0)
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(BlankoMovement)
        .where(
            BlankoMovement.kind == "penyesuaian",
            sa.or_(BlankoMovement.from_region == loc.code, BlankoMovement.to_region == loc.code),
            ~sa.exists().where(BlankoApproval.movement_id == BlankoMovement.id),
        )
    )
    if pending:
        raise ValidationFailed(
            errors={
                "region_code": [
                    f"Masih ada penyesuaian di {loc.label} yang menunggu persetujuan Kepala Dinas;"
                    " putuskan dulu sebelum mencatat stock opname baru."
                ]
            }
        )
    bal = balance_of(loc.code)
    diff = counted - bal.on_hand
    if diff and not reason_:
        raise ValidationFailed(
            errors={
                "reason": [
                    f"Hasil hitung ({counted}) berbeda dari buku ({bal.on_hand}): "
                    "alasan selisih wajib diisi."
                ]
            }
        )
    if diff < 0 and counted < bal.reserved:
        raise ValidationFailed(
            errors={
                "counted_quantity": [
                    f"Hasil hitung ({counted}) lebih kecil dari kartu yang menunggu persetujuan "
                    f"penghapusan ({bal.reserved}); putuskan dulu penghapusan itu."
                ]
            }
        )
    movement = None
    if diff:
        src, dst = (loc, None) if diff < 0 else (None, loc)
        movement = _post(
            by,
            "penyesuaian",
            src,
            dst,
            abs(diff),
            when,
            None,
            None,
            f"Stock opname: hitung {counted}, buku {bal.on_hand}. {reason_}",
            [],
            None,
        )
    opname = BlankoStockOpname(
        region_code=loc.code,
        counted_at=when,
        counted_quantity=counted,
        system_quantity=bal.on_hand,
        reason=reason_,
        movement_id=movement.id if movement else None,
        author_id=getattr(by, "id", None),
    )
    db.session.add(opname)
    db.session.flush()
    return opname


# --- reading movements -----------------------------------------------------------------------


def _loaded(stmt):
    return stmt.options(
        selectinload(BlankoMovement.receipt).joinedload(BlankoReceipt.author),
        selectinload(BlankoMovement.approval).joinedload(BlankoApproval.author),
        selectinload(BlankoMovement.serial_ranges),
        joinedload(BlankoMovement.author),
    )


def get_movement(by, movement_id) -> BlankoMovement:
    ident = _int_or_none(movement_id)
    movement = None
    if ident is not None:
        movement = db.session.scalars(
            _loaded(sa.select(BlankoMovement).where(BlankoMovement.id == ident))
        ).first()
    if movement is None or not in_scope(by, movement.region_code):
        raise NotFound("Mutasi blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return movement


def _has(model):
    return sa.exists().where(model.movement_id == BlankoMovement.id)


def status_clause(status: str):
    M = BlankoMovement
    approved = sa.exists().where(
        BlankoApproval.movement_id == M.id, BlankoApproval.approved.is_(True)
    )
    rejected = sa.exists().where(
        BlankoApproval.movement_id == M.id, BlankoApproval.approved.is_(False)
    )
    return {
        "posted": M.kind.in_(("penerimaan", "pemakaian")),
        "in_transit": sa.and_(M.kind.in_(TRANSFER_KINDS), ~_has(BlankoReceipt)),
        "received": sa.and_(M.kind.in_(TRANSFER_KINDS), _has(BlankoReceipt)),
        "pending_approval": sa.and_(M.kind.in_(APPROVAL_KINDS), ~_has(BlankoApproval)),
        "approved": sa.and_(M.kind.in_(APPROVAL_KINDS), approved),
        "rejected": sa.and_(M.kind.in_(APPROVAL_KINDS), rejected),
    }.get(status)


@dataclass
class MovementFilters:
    region: str | None = None  # subtree (scope column)
    location: str | None = None  # exact location on either side
    kind: str | None = None
    status: str | None = None
    start: date | None = None
    end: date | None = None
    q: str | None = None


def movements_query(by, f: MovementFilters) -> sa.Select:
    from assets_app.regions.scope import scoped

    M = BlankoMovement
    stmt = scoped(_loaded(sa.select(M)), M.region_code, by, f.region or None)
    newest_first = (M.occurred_at.desc(), M.id.desc())
    if f.location:
        if f.location.count(".") >= 2:  # a kecamatan: every movement touching it is scoped to it
            stmt = stmt.where(M.region_code == f.location)
        else:
            stmt = stmt.where(sa.or_(M.from_region == f.location, M.to_region == f.location))
            # Sort the few rows the two indexes find, rather than let SQLite walk the whole
            # occurred_at index looking for them (what it does with a bound LIMIT).
            newest_first = (sa.func.coalesce(M.occurred_at, M.created_at).desc(), M.id.desc())
    if f.kind in vocab.BLANKO_MOVEMENT:
        stmt = stmt.where(M.kind == f.kind)
    clause = status_clause(f.status or "")
    if clause is not None:
        stmt = stmt.where(clause)
    if f.start:
        stmt = stmt.where(M.occurred_at >= datetime.combine(f.start, time(), WIB))
    if f.end:
        stmt = stmt.where(M.occurred_at < datetime.combine(f.end + timedelta(days=1), time(), WIB))
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(sa.or_(M.reference.ilike(like), M.note.ilike(like)))
    return stmt.order_by(*newest_first)


def pending_receipts_query(by) -> sa.Select:
    from assets_app.regions.scope import scope_clause

    M = BlankoMovement
    return (
        _loaded(sa.select(M))
        .where(M.kind.in_(TRANSFER_KINDS), ~_has(BlankoReceipt), scope_clause(M.to_region, by))
        # Kind first: the (kind, occurred_at) index then yields the few candidates in order.
        .order_by(M.kind, M.occurred_at, M.id)
    )


def pending_approvals_query(by) -> sa.Select:
    from assets_app.regions.scope import scoped

    M = BlankoMovement
    return scoped(
        _loaded(sa.select(M)).where(M.kind.in_(APPROVAL_KINDS), ~_has(BlankoApproval)),
        M.region_code,
        by,
    ).order_by(M.kind, M.occurred_at, M.id)


def stock_opnames_query(by, region: str | None = None) -> sa.Select:
    from assets_app.regions.scope import scoped

    so = BlankoStockOpname
    return scoped(sa.select(so), so.region_code, by, region).order_by(
        so.counted_at.desc(), so.id.desc()
    )


# --- settings --------------------------------------------------------------------------------


def location_settings(code: str) -> BlankoLocationSetting:
    setting = db.session.get(BlankoLocationSetting, code)
    if setting is None:
        setting = BlankoLocationSetting(
            region_code=code,
            low_stock_days=DEFAULT_LOW_STOCK_DAYS,
            lead_time_days=DEFAULT_LEAD_TIME_DAYS,
        )
    return setting


def update_location_settings(
    by, region_code: str, *, low_stock_days, lead_time_days=None
) -> BlankoLocationSetting:
    _require(by, "blanko.write")
    errors: dict[str, list[str]] = {}
    loc = _location(region_code, by, "region_code", errors)
    low = _quantity(low_stock_days, errors, "low_stock_days")
    if low is not None and low > 180:
        errors.setdefault("low_stock_days", []).append("Ambang paling lama 180 hari.")
    lead = None
    if lead_time_days not in (None, ""):
        lead = _quantity(lead_time_days, errors, "lead_time_days")
        if lead is not None and lead > 365:
            errors.setdefault("lead_time_days", []).append("Waktu tunggu paling lama 365 hari.")
    if errors:
        raise ValidationFailed(errors=errors)
    setting = db.session.get(BlankoLocationSetting, loc.code)
    if setting is None:
        setting = BlankoLocationSetting(
            region_code=loc.code,
            low_stock_days=DEFAULT_LOW_STOCK_DAYS,
            lead_time_days=DEFAULT_LEAD_TIME_DAYS,
        )
        db.session.add(setting)
    setting.low_stock_days = low
    if lead is not None:
        setting.lead_time_days = lead
    db.session.flush()
    return setting


# --- requests to Ditjen Dukcapil -------------------------------------------------------------


def request_suggestion(by, region_code: str, today: date | None = None) -> dict:
    """How many cards to ask for: cover lead time + one review period + the safety threshold
    at the recent consumption rate, minus stock on hand/in transit and open requests."""
    from assets_app.blanko import stats

    loc = get_location_or_404(by, region_code)
    if not loc.is_dinas:
        raise ValidationFailed(
            errors={"region_code": ["Permintaan blanko diajukan oleh Dinas kab/kota."]}
        )
    today = today or utcnow().astimezone(WIB).date()
    setting = location_settings(loc.code)
    usage_30 = stats.usage_in_window([loc.code], today, subtree=True).get(loc.code, 0)
    avg = usage_30 / USAGE_WINDOW_DAYS
    totals = stats.subtree_stock(loc.code)
    stock = totals["available"] + totals["in_transit"]
    open_qty = (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(BlankoRequest.quantity), 0)).where(
                BlankoRequest.region_code == loc.code, BlankoRequest.status == "open"
            )
        )
        or 0
    )
    horizon = setting.lead_time_days + REVIEW_DAYS + setting.low_stock_days
    need = avg * horizon - stock - open_qty
    suggested = int(math.ceil(need / 100.0) * 100) if need > 0 else 0
    return {
        "region_code": loc.code,
        "as_of": today.isoformat(),
        "usage_30_days": int(usage_30),
        "avg_daily": round(avg, 2),
        "stock": int(stock),
        "open_requests": int(open_qty),
        "lead_time_days": setting.lead_time_days,
        "review_days": REVIEW_DAYS,
        "safety_days": setting.low_stock_days,
        "horizon_days": horizon,
        "days_of_cover": round(stock / avg, 1) if avg else None,
        "suggested": suggested,
    }


def _next_letter_no(kab_code: str, on: date) -> str:
    """The Dinas's next official letter number (400.12.2.1 = KTP-el matters), from the same
    pattern and yearly sequence as every other letter of that Dinas, so numbers never repeat."""
    from assets_app.common.sequence import next_value
    from assets_app.letters.services import format_number, get_settings

    settings = get_settings(kab_code)
    return format_number(
        settings.number_pattern,
        classification="400.12.2.1",
        seq=next_value(f"letter:{kab_code}:{on.year}"),
        unit=settings.unit_code,
        on=on,
        width=settings.number_width,
    )


def create_request(
    by,
    *,
    region_code: str,
    quantity=None,
    recipient: str | None = None,
    letter_date: date | None = None,
    signatory: str | None = None,
    note: str | None = None,
    today: date | None = None,
) -> BlankoRequest:
    _require(by, "blanko.write")
    today = today or utcnow().astimezone(WIB).date()
    errors: dict[str, list[str]] = {}
    loc = _location(region_code, by, "region_code", errors, levels=("kabkota",))
    if errors:
        raise ValidationFailed(errors=errors)
    basis = request_suggestion(by, loc.code, today)
    qty = basis["suggested"] if quantity in (None, "") else _quantity(quantity, errors)
    if qty == 0:
        errors.setdefault("quantity", []).append(
            "Stok masih mencukupi menurut perhitungan; isi jumlah yang diminta bila tetap perlu."
        )
    recipient_ = _text(recipient, errors, "recipient", 200) or DITJEN
    signatory_ = _text(signatory, errors, "signatory", 120)
    note_ = _text(note, errors, "note", 2000)
    if letter_date in (None, ""):
        letter_date = today
    elif not isinstance(letter_date, date):
        errors.setdefault("letter_date", []).append("Tanggal tidak valid.")
    if errors:
        raise ValidationFailed(errors=errors)
    for _attempt in range(3):
        letter_no = _next_letter_no(loc.code, letter_date)
        req = BlankoRequest(
            region_code=loc.code,
            quantity=qty,
            suggested_quantity=basis["suggested"],
            basis=basis,
            letter_no=letter_no,
            letter_date=letter_date,
            recipient=recipient_,
            signatory=signatory_,
            note=note_,
            status="open",
            author_id=getattr(by, "id", None),
        )
        try:
            with db.session.begin_nested():
                db.session.add(req)
            return req
        except sa.exc.IntegrityError:
            continue
    raise Conflict("Nomor surat bentrok dengan permintaan lain; coba simpan lagi.")


def cancel_request(by, request_id: int, *, note: str | None = None) -> BlankoRequest:
    _require(by, "blanko.write")
    req = get_request(by, request_id)
    if req.status != "open":
        raise ValidationFailed(f"Permintaan ini sudah {req.status_label.lower()}.")
    errors: dict[str, list[str]] = {}
    note_ = _text(note, errors, "note", 2000, "Alasan pembatalan wajib diisi.")
    if errors:
        raise ValidationFailed(errors=errors)
    req.status = "cancelled"
    req.note = ((req.note + "\n") if req.note else "") + f"Dibatalkan: {note_}"
    db.session.flush()
    return req


def get_request(by, request_id) -> BlankoRequest:
    req = db.session.get(BlankoRequest, _int_or_none(request_id) or 0)
    if req is None or not in_scope(by, req.region_code):
        raise NotFound("Permintaan blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return req


def requests_query(by, status: str | None = None) -> sa.Select:
    from assets_app.regions.scope import scoped

    stmt = scoped(sa.select(BlankoRequest), BlankoRequest.region_code, by)
    if status in ("open", "closed", "cancelled"):
        stmt = stmt.where(BlankoRequest.status == status)
    return stmt.order_by(BlankoRequest.letter_date.desc(), BlankoRequest.id.desc())


def request_fulfilment(request_ids) -> dict[int, BlankoMovement]:
    """The penerimaan that closed each request (the first one referencing it)."""
    ids = [i for i in request_ids if i]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(BlankoMovement)
        .where(BlankoMovement.request_id.in_(ids), BlankoMovement.kind == "penerimaan")
        .order_by(BlankoMovement.id)
    )
    out: dict[int, BlankoMovement] = {}
    for m in rows:
        out.setdefault(m.request_id, m)
    return out


def open_requests_for(kab_code: str) -> list[BlankoRequest]:
    return list(
        db.session.scalars(
            sa.select(BlankoRequest)
            .where(BlankoRequest.region_code == kab_code, BlankoRequest.status == "open")
            .order_by(BlankoRequest.letter_date)
            .limit(50)
        )
    )


# --- for the DPRD report (hearing domain) ------------------------------------------------------


def blanko_summary_by_region(user, region_code: str, start: date, end: date, today=None) -> dict:
    """{location code: {"received", "distributed", "used", "damaged", "balance", "in_transit",
    "days_of_cover", "spoilage_rate"}}; see `stats.blanko_summary_by_region`."""
    from assets_app.blanko import stats

    return stats.blanko_summary_by_region(user, region_code, start, end, today)


def blanko_total_for_region(user, region_code: str, start: date, end: date, today=None, **kw):
    """The same keys summed over the whole region; see `stats.blanko_total_for_region`."""
    from assets_app.blanko import stats

    return stats.blanko_total_for_region(user, region_code, start, end, today, **kw)

"""The blanko ledger's verbs: movements, receipts, decisions, corrections, stock opname and
location settings. Every write (web, API, CLI, demo) goes through these functions.

Values arrive typed (forms and API schemas parse them); the shared checks are in `rules`, the
conditional balance updates in `balances`, reads in `queries`. Services flush, never commit: the
request (or CLI command) commits once, and a DomainError rolls the whole of it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.blanko import balances, daily, rules, serials, window
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    TRANSFER_KINDS,
    BlankoApproval,
    BlankoLocationSetting,
    BlankoMovement,
    BlankoReceipt,
    BlankoRequest,
    BlankoSerialRange,
    BlankoStockOpname,
)
from assets_app.blanko.queries import Location, balance_of, get_location, location_settings
from assets_app.common import vocab
from assets_app.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.timeutil import dialect, today_wib, utcnow
from assets_app.extensions import db
from assets_app.officials import services as officials
from assets_app.regions.scope import in_scope

# Which permission each kind of movement needs (scope decides *where*).
KIND_ACTION = {
    "penerimaan": "blanko.write",
    "distribusi": "blanko.write",
    "pengembalian": "blanko.use",
    "pemakaian": "blanko.use",
    "rusak": "blanko.use",
    "penyesuaian": "blanko.write",
}
_SERIAL_LOCK_KEY = 7_270_001  # PostgreSQL advisory lock: penerimaan serial checks
_NOT_FOUND = "Mutasi blanko tidak ditemukan atau di luar cakupan wilayah Anda."
OWN_RECORD = (
    "Mutasi ini Anda catat sendiri: persetujuannya harus oleh pejabat lain (prinsip empat mata). "
    "Mutasi tetap menunggu persetujuan pejabat lain."
)


def recorded_by(user, movement: BlankoMovement) -> bool:
    """True when `user` recorded `movement`: they may withdraw (reject) it, never approve it."""
    uid = getattr(user, "id", None)
    return uid is not None and movement.author_id == uid


def _err(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- movements -------------------------------------------------------------------------------


def _resolve_sides(kind, by, from_region, to_region, errors) -> tuple[Location | None, ...]:
    """Validates the locations a kind needs; returns (from, to)."""
    if kind == "penerimaan":
        if from_region:
            _err(
                errors,
                "from_region",
                "Penerimaan datang dari Ditjen Dukcapil: kosongkan lokasi asal.",
            )
        dst = rules.location(to_region, by, "to_region", errors, levels=("kabkota",))
        return None, dst
    if kind == "distribusi":
        src = rules.location(from_region, by, "from_region", errors, levels=("kabkota",))
        dst = rules.location(to_region, by, "to_region", errors, levels=("kecamatan",))
        if src and dst and dst.parent_code != src.code:
            _err(errors, "to_region", f"{dst.label} bukan kecamatan di bawah {src.label}.")
        return src, dst
    if kind == "pengembalian":
        src = rules.location(from_region, by, "from_region", errors, levels=("kecamatan",))
        if src and not to_region:
            to_region = src.parent_code
        dst = None
        if to_region:
            dst = get_location(to_region)
            if dst is None or dst.level != "kabkota":
                _err(
                    errors,
                    "to_region",
                    "Pengembalian harus ke gudang Dinas kab/kota kecamatan itu.",
                )
                dst = None
            elif src and src.parent_code != dst.code:
                _err(
                    errors,
                    "to_region",
                    f"{src.label} hanya dapat mengembalikan blanko ke gudang Dinas kab/kota "
                    f"induknya ({src.parent_code}).",
                )
                dst = None
        return src, dst
    if kind in ("pemakaian", "rusak"):
        # One location; accept it in from_region (the contract) or, leniently, to_region.
        code = from_region or to_region
        field = "from_region" if from_region or not to_region else "to_region"
        return rules.location(code, by, field, errors), None
    if kind == "penyesuaian":
        if bool(from_region) == bool(to_region):
            _err(
                errors,
                "from_region",
                "Penyesuaian: isi lokasi asal (stok berkurang) atau lokasi tujuan (stok bertambah),"
                " salah satu saja.",
            )
            return None, None
        if from_region:
            return rules.location(from_region, by, "from_region", errors), None
        return None, rules.location(to_region, by, "to_region", errors)
    return None, None


def record_movement(
    by,
    *,
    kind: str,
    from_region: str | None = None,
    to_region: str | None = None,
    quantity: int | None = None,
    occurred_at: datetime | None = None,
    reference: str | None = None,
    bast_date: date | None = None,
    note: str | None = None,
    serial_ranges=None,
    request_id: int | None = None,
    now: datetime | None = None,
) -> BlankoMovement:
    """Posts one movement of any kind; see `balances` for the balance rules.

    penerimaan → Dinas on hand; distribusi/pengembalian → leaves the sender, in transit to the
    receiver until `receive_movement`; pemakaian → leaves the location; rusak and penyesuaian
    → pending until `decide_movement` (a decrease reserves the cards meanwhile)."""
    if kind not in vocab.BLANKO_MOVEMENT:
        kinds = ", ".join(vocab.BLANKO_MOVEMENT)
        raise ValidationFailed(errors={"kind": [f"Jenis mutasi harus salah satu dari: {kinds}."]})
    rules.require(by, KIND_ACTION[kind])
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    src, dst = _resolve_sides(kind, by, from_region, to_region, errors)
    qty = rules.quantity(quantity, errors)
    posting = Posting(
        kind=kind,
        src=src,
        dst=dst,
        quantity=qty,
        occurred_at=rules.moment(occurred_at, errors, "occurred_at", now),
        reference=rules.text(reference, errors, "reference", 120, _REQUIRED_REFERENCE.get(kind)),
        bast_date=_bast_date(kind, bast_date, errors, now),
        note=rules.text(note, errors, "note", 2000, _REQUIRED_NOTE.get(kind)),
        ranges=_serial_ranges(kind, serial_ranges, qty, errors),
        request=_fulfilled_request(by, kind, request_id, dst, errors),
    )
    if errors:
        raise ValidationFailed(errors=errors)
    return _post(by, posting)


_REQUIRED_REFERENCE = {"penerimaan": "Nomor BAST wajib diisi untuk penerimaan."}
_REQUIRED_NOTE = {"penyesuaian": "Alasan penyesuaian wajib diisi."}


@dataclass(frozen=True, kw_only=True)
class Posting:
    """A checked movement, ready to be written."""

    kind: str
    src: Location | None
    dst: Location | None
    quantity: int | None
    occurred_at: datetime | None
    reference: str | None = None
    bast_date: date | None = None
    note: str | None = None
    ranges: list = ()
    request: BlankoRequest | None = None


def _bast_date(kind: str, value: date | None, errors: dict, now: datetime) -> date | None:
    if kind != "penerimaan":
        return None
    if value is None:
        _err(errors, "bast_date", "Tanggal BAST wajib diisi untuk penerimaan.")
    elif value > today_wib(now):
        _err(errors, "bast_date", "Tanggal BAST tidak boleh di masa depan.")
    return value


def _serial_ranges(kind: str, raw, qty: int | None, errors: dict) -> list:
    try:
        ranges = serials.parse_ranges(raw)
    except ValidationFailed as e:
        for k, v in e.errors.items():
            errors.setdefault(k, []).extend(v)
        return []
    if ranges and kind == "penyesuaian":
        _err(errors, "serial_ranges", "Penyesuaian hasil stock opname tidak memakai nomor seri.")
    if ranges and qty is not None and serials.total(ranges) != qty:
        _err(
            errors,
            "serial_ranges",
            f"Jumlah nomor seri ({number(serials.total(ranges))}) tidak sama dengan jumlah keping "
            f"({number(qty)}).",
        )
    return ranges


def _fulfilled_request(by, kind, request_id, dst, errors) -> BlankoRequest | None:
    """The open request a penerimaan fulfils (closed with it)."""
    if request_id is None:
        return None
    if kind != "penerimaan":
        _err(errors, "request_id", "Hanya penerimaan yang memenuhi permintaan.")
        return None
    request = db.session.get(BlankoRequest, request_id)
    if request is None or not in_scope(by, request.region_code):
        _err(errors, "request_id", "Permintaan blanko tidak ditemukan.")
    elif dst and request.region_code != dst.code:
        _err(errors, "request_id", "Permintaan itu milik kab/kota lain.")
    elif request.status != "open":
        _err(
            errors,
            "request_id",
            f"Permintaan {request.number_label} sudah {request.status_label.lower()}.",
        )
    else:
        return request
    return None


def _post(by, p: Posting) -> BlankoMovement:
    # Without serial numbers the ledger row is written first and the balance rows are locked
    # last, just before the commit, so a busy location's row is held as briefly as possible.
    # With serial numbers the locations are locked first: their serial blocks are read and
    # carved under that lock.
    if p.ranges:
        balances.move_balances(p.kind, p.src, p.dst, p.quantity)
        if p.kind == "penerimaan":
            _refuse_received_serials(p.ranges)
    movement = BlankoMovement(
        kind=p.kind,
        region_code=_scope_code(p.kind, p.src, p.dst),
        from_region=p.src.code if p.src else None,
        to_region=p.dst.code if p.dst else None,
        quantity=p.quantity,
        occurred_at=p.occurred_at,
        reference=p.reference,
        bast_date=p.bast_date,
        note=p.note,
        request_id=p.request.id if p.request else None,
        author_id=getattr(by, "id", None),
    )
    db.session.add(movement)
    if p.request is not None:
        p.request.status = "closed"
    db.session.flush()
    if p.ranges:
        _place_serials(p, movement)
    else:
        balances.move_balances(p.kind, p.src, p.dst, p.quantity)
    daily.on_movement(movement)  # after the balance rows' locks: same order, same transaction
    return movement


def _refuse_received_serials(ranges) -> None:
    if dialect() == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_SERIAL_LOCK_KEY)))
    clash = serials.previously_received(ranges)
    if clash:
        shown = ", ".join(serials.fmt_range(r) for r in clash[:5])
        raise ValidationFailed(
            errors={"serial_ranges": [f"Nomor seri {shown} sudah pernah diterima sebelumnya."]}
        )


def _place_serials(p: Posting, movement: BlankoMovement) -> None:
    """The movement's serial ranges, and where those numbers now sit."""
    for s, e in p.ranges:
        db.session.add(BlankoSerialRange(movement_id=movement.id, start_no=s, end_no=e))
    if p.kind == "penerimaan":
        serials.add(p.dst.code, "held", p.ranges, None)
    else:
        serials.carve(p.src.code, "held", p.ranges, place=p.src.label)
        if p.kind in TRANSFER_KINDS:
            serials.add(p.dst.code, "in_transit", p.ranges, movement.id)
        elif p.kind == "rusak":
            serials.add(p.src.code, "reserved", p.ranges, movement.id)
    db.session.flush()


def _scope_code(kind, src: Location | None, dst: Location | None) -> str:
    """The most specific location of a movement (the kecamatan of a transfer)."""
    if kind in TRANSFER_KINDS:
        return src.code if src.level == "kecamatan" else dst.code
    return (src or dst).code


def _movement_for_update(by, movement_id: int) -> BlankoMovement:
    movement = db.session.get(BlankoMovement, movement_id)
    if movement is None or not in_scope(by, movement.region_code):
        raise NotFound(_NOT_FOUND)
    return movement


def receive_movement(
    by,
    movement_id: int,
    *,
    quantity_received: int | None,
    note: str | None = None,
    received_at: datetime | None = None,
    on_behalf_reason: str | None = None,
    now: datetime | None = None,
) -> BlankoReceipt:
    """The destination confirms a distribusi/pengembalian: a user of the destination itself
    (the camat of that kecamatan; for a return, the Dinas). A user above it (the Dinas for a
    kecamatan) may only record the receipt *on behalf of* the destination, with a reason,
    kept on the receipt. A different quantity needs a reason too; the difference is kept on
    the receipt and shown wherever the transfer is."""
    rules.require(by, "blanko.receive")
    movement = _movement_for_update(by, movement_id)
    if movement.kind not in TRANSFER_KINDS:
        raise ValidationFailed(
            f"Mutasi {movement.kind_label.lower()} tidak memerlukan konfirmasi penerimaan."
        )
    if not in_scope(by, movement.to_region):
        raise NotFound(_NOT_FOUND)
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    got = rules.quantity(quantity_received, errors, "quantity_received", allow_zero=True)
    when = rules.moment(received_at, errors, "received_at", now, not_before=movement.occurred_at)
    note_ = rules.text(note, errors, "note", 2000)
    behalf = None
    if not rules.is_receiver(by, movement.to_region):
        behalf = rules.text(
            on_behalf_reason, errors, "on_behalf_reason", 2000,
            required_msg=(
                f"Penerimaan dikonfirmasi oleh {get_location(movement.to_region).label} sendiri; "
                "untuk mencatatnya atas nama penerima, alasan wajib diisi."
            ),
        )  # fmt: skip
    if got is not None and got != movement.quantity and not note_:
        errors.setdefault("note", []).append(
            f"Jumlah diterima ({number(got)}) berbeda dari yang dikirim "
            f"({number(movement.quantity)}): "
            "alasan selisih wajib diisi."
        )
    if errors:
        raise ValidationFailed(errors=errors)
    dst = get_location(movement.to_region)
    balances.apply("arrive", dst, movement.quantity, got)
    receipt = BlankoReceipt(
        movement_id=movement.id,
        region_code=movement.to_region,
        quantity_sent=movement.quantity,
        quantity_received=got,
        received_at=when,
        note=note_,
        on_behalf_reason=behalf,
        author_id=getattr(by, "id", None),
    )
    # After the row lock: a racing confirmation of the same transfer has committed by now.
    _add_once(receipt, "Mutasi ini sudah dikonfirmasi diterima.")
    daily.on_receipt(movement, receipt)
    serials.set_state(movement.id, "in_transit", "held")
    db.session.flush()
    return receipt


def _add_once(row: BlankoReceipt | BlankoApproval, message: str) -> None:
    """Adds a movement's one receipt or decision; a second one (seen or racing) is a Conflict."""
    model = type(row)
    seen = db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.movement_id == row.movement_id)
    )
    if seen:
        raise Conflict(message)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError as exc:
        raise Conflict(message) from exc


def decide_movement(
    by,
    movement_id: int,
    *,
    approved: bool | None,
    berita_acara_no: str | None = None,
    note: str | None = None,
    decided_at: datetime | None = None,
    now: datetime | None = None,
    witnesses: str | list[str] | None = None,
) -> BlankoApproval:
    """A kadis approves (with a berita acara number) or rejects a rusak/penyesuaian.
    Approval moves the balance; rejection leaves it as it was. Four eyes: whoever recorded
    the write-off or adjustment may reject (withdraw) it but never approve it."""
    rules.require(by, "blanko.approve")
    movement = _movement_for_update(by, movement_id)
    if movement.kind not in APPROVAL_KINDS:
        raise ValidationFailed(
            f"Mutasi {movement.kind_label.lower()} tidak memerlukan persetujuan."
        )
    if approved is True and recorded_by(by, movement):
        raise Forbidden(OWN_RECORD)
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    if not isinstance(approved, bool):
        errors.setdefault("approved", []).append("Pilih setujui atau tolak.")
    ba = rules.text(berita_acara_no, errors, "berita_acara_no", 120)
    if approved is True and not ba:
        errors.setdefault("berita_acara_no", []).append(
            "Nomor berita acara wajib diisi untuk menyetujui."
        )
    note_ = rules.text(note, errors, "note", 2000)
    when = rules.moment(decided_at, errors, "decided_at", now, not_before=movement.occurred_at)
    document = None
    if approved is True:
        document = _berita_acara_roles(by, movement, witnesses, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    _apply_decision(movement, approved)
    decision = BlankoApproval(
        movement_id=movement.id,
        region_code=movement.region_code,
        approved=approved,
        berita_acara_no=ba,
        decided_at=when,
        note=note_,
        author_id=getattr(by, "id", None),
        document=document,
    )
    _add_once(decision, "Mutasi ini sudah diputuskan.")
    daily.on_decision(movement, decision)
    if movement.kind == "rusak":
        if approved:
            serials.drop(movement.id, "reserved")
        else:
            serials.set_state(movement.id, "reserved", "held")
    db.session.flush()
    return decision


def _berita_acara_roles(by, movement: BlankoMovement, witnesses, errors: dict) -> dict:
    """What the berita acara is issued with (kop, signing official) and its three roles:
    recorder, approver and saksi, never one person twice."""
    names = witnesses.splitlines() if isinstance(witnesses, str) else list(witnesses or [])
    saksi = []
    for raw in names:
        name = rules.text(raw, errors, "witnesses", 120)
        if name and name.casefold() not in {s.casefold() for s in saksi}:
            saksi.append(name)
    if len(saksi) > 3:
        _err(errors, "witnesses", "Paling banyak tiga saksi.")
    recorder = db.session.get(User, movement.author_id) if movement.author_id else None
    doc = officials.snapshot(movement.location_code, "berita_acara")
    sig = doc["signatory"] or {}
    roles = {
        "Pencatat": recorder.name if recorder else None,
        "Penyetuju": getattr(by, "name", None),
    }
    if sig.get("name") and sig["name"] != roles["Penyetuju"]:
        roles["Pejabat penanda tangan"] = sig["name"]
    taken = {v.casefold(): k for k, v in roles.items() if v}
    for name in saksi:
        if name.casefold() in taken:
            _err(
                errors,
                "witnesses",
                f"{name} sudah tercatat sebagai {taken[name.casefold()].lower()}; saksi harus orang lain.",
            )
    if (
        sig.get("name")
        and roles["Pencatat"]
        and sig["name"].casefold() == roles["Pencatat"].casefold()
    ):
        _err(
            errors,
            "approved",
            f"{sig['name']} mencatat mutasi ini, jadi tidak dapat menandatangani berita acaranya sebagai pejabat yang menyetujui; atur pejabat lain.",
        )
    doc.update(recorder=roles["Pencatat"], approver=roles["Penyetuju"], witnesses=saksi)
    return doc


def _apply_decision(movement: BlankoMovement, approved: bool) -> None:
    """The balance change of a decision; takes the row lock even when nothing changes."""
    loc = get_location(movement.location_code)
    if movement.from_region:  # a decrease: the cards were reserved when it was recorded
        balances.apply("write_off" if approved else "release", loc, movement.quantity)
    elif approved:  # an increase from a stock opname
        balances.apply("add", loc, movement.quantity)
    else:
        balances.apply("lock", loc, 0)


def correct_movement(
    by, movement_id: int, *, quantity: int | None, reason: str | None, now: datetime | None = None
) -> BlankoMovement:
    """A wrong penerimaan or pemakaian is corrected by a new penyesuaian in the opposite
    direction (never by editing it); like every penyesuaian it waits for kadis approval."""
    rules.require(by, "blanko.write")
    original = _movement_for_update(by, movement_id)
    if original.kind not in ("penerimaan", "pemakaian"):
        raise ValidationFailed(
            f"Mutasi {original.kind_label.lower()} dikoreksi lewat konfirmasi penerimaan, "
            "keputusan Kepala Dinas, atau stock opname."
        )
    errors: dict[str, list[str]] = {}
    qty = rules.quantity(quantity, errors)
    if qty is not None and qty > original.quantity:
        errors.setdefault("quantity", []).append(
            f"Koreksi paling banyak {number(original.quantity)} keping (jumlah mutasi #{original.id})."
        )
    reason_ = rules.text(reason, errors, "note", 2000, "Alasan koreksi wajib diisi.")
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
    region_code: str | None,
    counted_quantity: int | None,
    reason: str | None = None,
    counted_at: datetime | None = None,
    now: datetime | None = None,
) -> BlankoStockOpname:
    """A physical count. The difference from the book (on hand, including cards reserved for
    pending write-offs) is posted as a penyesuaian that waits for kadis approval."""
    rules.require(by, "blanko.write")
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    loc = rules.location(region_code, by, "region_code", errors)
    counted = rules.quantity(counted_quantity, errors, "counted_quantity", allow_zero=True)
    when = rules.moment(counted_at, errors, "counted_at", now)
    reason_ = rules.text(reason, errors, "reason", 2000)
    if errors:
        raise ValidationFailed(errors=errors)
    balances.apply("lock", loc, 0)
    bal = balance_of(loc.code)
    _check_count(loc, counted, bal, reason_)
    movement = None
    if counted != bal.on_hand:
        diff = counted - bal.on_hand
        movement = _post(
            by,
            Posting(
                kind="penyesuaian",
                src=loc if diff < 0 else None,
                dst=None if diff < 0 else loc,
                quantity=abs(diff),
                occurred_at=when,
                note=f"Stock opname: hitung {number(counted)}, buku {number(bal.on_hand)}. {reason_}",
            ),
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


def _check_count(loc: Location, counted: int, bal, reason: str | None) -> None:
    """A count is refused while an adjustment waits, without a reason for a difference, or
    below the cards reserved for pending write-offs."""
    M = BlankoMovement
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(M)
        .where(
            M.kind == "penyesuaian",
            sa.or_(M.from_region == loc.code, M.to_region == loc.code),
            ~sa.exists().where(BlankoApproval.movement_id == M.id),
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
    diff = counted - bal.on_hand
    if diff and not reason:
        raise ValidationFailed(
            errors={
                "reason": [
                    f"Hasil hitung ({number(counted)}) berbeda dari buku ({number(bal.on_hand)}): "
                    "alasan selisih wajib diisi."
                ]
            }
        )
    if diff < 0 and counted < bal.reserved:
        raise ValidationFailed(
            errors={
                "counted_quantity": [
                    f"Hasil hitung ({number(counted)}) lebih kecil dari kartu yang menunggu persetujuan "
                    f"penghapusan ({number(bal.reserved)}); putuskan dulu penghapusan itu."
                ]
            }
        )


# --- settings --------------------------------------------------------------------------------


def update_location_settings(
    by, region_code: str, *, low_stock_days: int | None, lead_time_days: int | None = None
) -> BlankoLocationSetting:
    rules.require(by, "blanko.write")
    errors: dict[str, list[str]] = {}
    loc = rules.location(region_code, by, "region_code", errors)
    low = rules.quantity(low_stock_days, errors, "low_stock_days")
    if low is not None and low > 180:
        errors.setdefault("low_stock_days", []).append("Ambang paling lama 180 hari.")
    lead = None
    if lead_time_days is not None:
        lead = rules.quantity(lead_time_days, errors, "lead_time_days")
        if lead is not None and lead > 365:
            errors.setdefault("lead_time_days", []).append("Waktu tunggu paling lama 365 hari.")
    if errors:
        raise ValidationFailed(errors=errors)
    setting = location_settings(loc.code)
    db.session.add(setting)  # the defaults until now: saved from here on
    setting.low_stock_days = low
    if lead is not None:
        setting.lead_time_days = lead
    db.session.flush()
    return setting


def request_letter_signed(request_id: int, number: str, on) -> None:
    """Called by the letters module when a blanko request's letter is signed."""
    from assets_app.blanko.ditjen import request_letter_signed as signed

    signed(request_id, number, on)


def refresh_use_window(now: datetime) -> str:
    """The `jendela_blanko` job: the closed days of every location's 30-day use, stored once
    after each day change (blanko.window); the pages read the rollup until it runs."""
    return window.refresh_if_stale(today_wib(now))

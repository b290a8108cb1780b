"""`flask blanko check`: the balances and serial holdings must equal what the ledger says."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from assets_app.blanko import serials
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    TRANSFER_KINDS,
    BlankoApproval,
    BlankoBalance,
    BlankoMovement,
    BlankoReceipt,
    BlankoSerialBlock,
    BlankoSerialRange,
)
from assets_app.blanko.queries import location_names
from assets_app.blanko.stats import ledger_balances
from assets_app.extensions import db

MAX_REPORTED = 200


@dataclass
class CheckResult:
    locations: int = 0
    movements: int = 0
    serial_ranges: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def check_ledger() -> CheckResult:
    result = CheckResult()
    result.movements = db.session.scalar(sa.select(sa.func.count()).select_from(BlankoMovement))
    result.serial_ranges = db.session.scalar(
        sa.select(sa.func.count()).select_from(BlankoSerialRange)
    )
    _check_balances(result)
    _check_links(result)
    _check_serials(result)
    return result


def _check_balances(result: CheckResult) -> None:
    expected = ledger_balances()
    B = BlankoBalance.__table__
    actual = {
        r.region_code: (r.on_hand, r.in_transit_in, r.reserved)
        for r in db.session.execute(
            sa.select(B.c.region_code, B.c.on_hand, B.c.in_transit_in, B.c.reserved)
        )
    }
    codes = sorted(set(expected) | set(actual))
    result.locations = len(codes)
    names = location_names(codes)
    labels = ("stok di tangan", "dalam perjalanan", "menunggu penghapusan")
    for code in codes:
        want = expected.get(code, (0, 0, 0))
        have = actual.get(code, (0, 0, 0))
        where = f"{names.get(code, code)} ({code})"
        for label, w, h in zip(labels, want, have, strict=True):
            if w != h:
                result.mismatches.append(
                    f"Saldo tidak cocok di {where}: {label} tercatat {h}, menurut buku mutasi {w}."
                )
            if w < 0:
                result.mismatches.append(f"Buku mutasi {where} menunjukkan {label} negatif ({w}).")


# (linked table, the movement kinds it may belong to, the complaint about any other kind)
_LINKS = (
    (BlankoReceipt, TRANSFER_KINDS, "Mutasi #{} punya tanda terima padahal bukan transfer."),
    (BlankoApproval, APPROVAL_KINDS, "Mutasi #{} punya keputusan padahal tidak perlu persetujuan."),
)


def _check_links(result: CheckResult) -> None:
    M = BlankoMovement
    for model, kinds, complaint in _LINKS:
        bad = db.session.scalars(
            sa.select(model.movement_id)
            .join(M, M.id == model.movement_id)
            .where(M.kind.not_in(kinds))
            .limit(MAX_REPORTED)
        ).all()
        result.mismatches.extend(complaint.format(mid) for mid in bad)


def _shared(s1: int, e1: int, s2: int, e2: int) -> str:
    """The serial numbers two overlapping ranges have in common, formatted."""
    return serials.fmt_range((max(s1, s2), min(e1, e2)))


def _check_serials(result: CheckResult) -> None:
    M = BlankoMovement
    SR = BlankoSerialRange
    a, b = aliased(SR), aliased(SR)
    ma, mb = aliased(M), aliased(M)
    twice = db.session.execute(
        sa.select(a.movement_id, b.movement_id, a.start_no, a.end_no, b.start_no, b.end_no)
        .join(ma, ma.id == a.movement_id)
        .join(b, sa.and_(a.id < b.id, a.start_no <= b.end_no, b.start_no <= a.end_no))
        .join(mb, mb.id == b.movement_id)
        .where(ma.kind == "penerimaan", mb.kind == "penerimaan")
        .limit(MAX_REPORTED)
    ).all()
    for m1, m2, s1, e1, s2, e2 in twice:
        result.mismatches.append(
            f"Nomor seri {_shared(s1, e1, s2, e2)} diterima dua kali (mutasi #{m1} dan #{m2})."
        )
    BL = BlankoSerialBlock
    x, y = aliased(BL), aliased(BL)
    doubled = db.session.execute(
        sa.select(x.region_code, y.region_code, x.start_no, x.end_no, y.start_no, y.end_no)
        .join(y, sa.and_(x.id < y.id, x.start_no <= y.end_no, y.start_no <= x.end_no))
        .limit(MAX_REPORTED)
    ).all()
    for r1, r2, s1, e1, s2, e2 in doubled:
        result.mismatches.append(
            f"Nomor seri {_shared(s1, e1, s2, e2)} tercatat di dua tempat sekaligus ({r1} dan {r2})."
        )
    expected, problems = _replay_serials()
    result.mismatches.extend(problems)
    actual: dict[tuple, list] = defaultdict(list)
    for r in db.session.execute(
        sa.select(BL.region_code, BL.state, BL.movement_id, BL.start_no, BL.end_no)
    ):
        actual[(r.region_code, r.state, r.movement_id)].append((r.start_no, r.end_no))
    actual = {k: serials.merge(v) for k, v in actual.items()}
    for key in sorted(set(expected) | set(actual), key=lambda k: (k[0], k[1], k[2] or 0)):
        want, have = expected.get(key, []), actual.get(key, [])
        if want != have:
            code, state, mid = key
            state_label = {"held": "di tangan", "in_transit": "dalam perjalanan"}.get(
                state, "menunggu penghapusan"
            )
            show = lambda rs: ", ".join(serials.fmt_range(r) for r in rs[:5]) or "tidak ada"  # noqa: E731
            result.mismatches.append(
                f"Nomor seri {state_label} di {code}"
                + (f" (mutasi #{mid})" if mid else "")
                + f": tercatat {show(have)}, menurut buku mutasi {show(want)}."
            )


def _serial_events(moves: dict) -> list[tuple]:
    """(at, order, id, what, movement) of the movements with serials, their receipts and
    decisions, in the order they were written."""
    ids = list(moves)
    events = [(m.created_at, 0, m.id, "move", None) for m in moves.values()]
    for mid, at, rid in db.session.execute(
        sa.select(BlankoReceipt.movement_id, BlankoReceipt.created_at, BlankoReceipt.id).where(
            BlankoReceipt.movement_id.in_(ids)
        )
    ):
        events.append((at, 1, rid, "receipt", mid))
    for mid, at, aid, ok in db.session.execute(
        sa.select(
            BlankoApproval.movement_id,
            BlankoApproval.created_at,
            BlankoApproval.id,
            BlankoApproval.approved,
        ).where(BlankoApproval.movement_id.in_(ids))
    ):
        events.append((at, 2, aid, "approved" if ok else "rejected", mid))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return events


def _replay_serials() -> tuple[dict, list[str]]:
    """Where every serial should be, replaying the ledger in the order it was written."""
    M = BlankoMovement
    ranges: dict[int, list] = defaultdict(list)
    for mid, s, e in db.session.execute(
        sa.select(
            BlankoSerialRange.movement_id, BlankoSerialRange.start_no, BlankoSerialRange.end_no
        )
    ):
        ranges[mid].append((s, e))
    if not ranges:
        return {}, []
    ids = list(ranges)
    moves = {
        m.id: m
        for m in db.session.execute(
            sa.select(M.id, M.kind, M.from_region, M.to_region, M.created_at).where(M.id.in_(ids))
        )
    }
    events = _serial_events(moves)
    state: dict[tuple, list] = defaultdict(list)
    problems: list[str] = []

    def take(key, rs, mid):
        for r in rs:
            state[key], found = serials.subtract(state[key], r)
            if found != r[1] - r[0] + 1:
                problems.append(
                    f"Mutasi #{mid}: nomor seri {serials.fmt_range(r)} tidak seluruhnya berada di "
                    f"{key[0]} menurut buku mutasi."
                )

    for _at, _order, ident, what, ref in events:
        if what == "move":
            m = moves[ident]
            rs = ranges[m.id]
            if m.kind == "penerimaan":
                state[(m.to_region, "held", None)].extend(rs)
            elif m.kind in TRANSFER_KINDS:
                take((m.from_region, "held", None), rs, m.id)
                state[(m.to_region, "in_transit", m.id)].extend(rs)
            elif m.kind == "pemakaian":
                take((m.from_region, "held", None), rs, m.id)
            elif m.kind == "rusak":
                take((m.from_region, "held", None), rs, m.id)
                state[(m.from_region, "reserved", m.id)].extend(rs)
        else:
            m = moves[ref]
            rs = ranges[m.id]
            if what == "receipt":
                state.pop((m.to_region, "in_transit", m.id), None)
                state[(m.to_region, "held", None)].extend(rs)
            elif m.kind == "rusak":
                state.pop((m.from_region, "reserved", m.id), None)
                if what == "rejected":
                    state[(m.from_region, "held", None)].extend(rs)
    expected = {k: serials.merge(v) for k, v in state.items() if v}
    return expected, problems

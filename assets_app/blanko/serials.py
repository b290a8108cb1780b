"""Serial-number ranges of blanko cards: parsing, interval arithmetic and the holdings table.

A serial is at one location at a time: `BlankoSerialBlock` rows say where each range is now
(held, in transit to, or reserved for a pending write-off at a location). Every change to the
blocks of a location happens after the service has locked that location's balance row, so two
transactions never carve the same blocks at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from assets_app.blanko.models import BlankoMovement, BlankoSerialBlock, BlankoSerialRange
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db

MAX_SERIAL = 10**18 - 1
MAX_RANGES = 200

Range = tuple[int, int]


def fmt_range(r: Range) -> str:
    return f"{r[0]}–{r[1]}" if r[0] != r[1] else str(r[0])


def _to_int(value, where: str) -> int:
    if isinstance(value, bool):
        raise ValueError(where)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError(where)


def parse_ranges(raw, field: str = "serial_ranges") -> list[Range]:
    """[[start, end], …] (numbers or digit strings) → sorted, validated ranges.

    Raises ValidationFailed naming the entry at fault. Overlaps inside the list are refused."""
    if raw is None or raw == "" or raw == []:
        return []
    if not isinstance(raw, list | tuple):
        raise ValidationFailed(errors={field: ["Harus berupa daftar [[awal, akhir], …]."]})
    if len(raw) > MAX_RANGES:
        raise ValidationFailed(errors={field: [f"Paling banyak {MAX_RANGES} rentang nomor seri."]})
    errors: list[str] = []
    out: list[Range] = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, list | tuple) or len(item) != 2:
            errors.append(f"Rentang ke-{i}: harus berisi tepat dua nomor [awal, akhir].")
            continue
        try:
            start, end = _to_int(item[0], "awal"), _to_int(item[1], "akhir")
        except ValueError:
            errors.append(f"Rentang ke-{i}: nomor seri harus berupa angka bulat tanpa tanda.")
            continue
        if start < 0 or end > MAX_SERIAL or start > MAX_SERIAL:
            errors.append(f"Rentang ke-{i}: nomor seri paling banyak 18 digit.")
        elif start > end:
            errors.append(f"Rentang ke-{i}: nomor awal {start} lebih besar dari nomor akhir {end}.")
        else:
            out.append((start, end))
    out.sort()
    for a, b in zip(out, out[1:], strict=False):
        if b[0] <= a[1]:
            errors.append(f"Rentang {fmt_range(a)} dan {fmt_range(b)} saling tumpang tindih.")
    if errors:
        raise ValidationFailed(errors={field: errors})
    return out


def parse_ranges_text(text: str | None, field: str = "serial_ranges") -> list[Range]:
    """Form input: one range per line (or separated by commas/semicolons), `awal-akhir`."""
    if not text or not text.strip():
        return []
    items = []
    for i, chunk in enumerate(
        [c.strip() for c in text.replace(";", "\n").replace(",", "\n").splitlines()], start=1
    ):
        if not chunk:
            continue
        parts = [p.strip() for p in chunk.replace("–", "-").replace("—", "-").split("-")]
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        if len(parts) != 2:
            raise ValidationFailed(
                errors={field: [f"Baris {i}: tulis rentang sebagai awal-akhir, mis. 1001-2000."]}
            )
        items.append(parts)
    return parse_ranges(items, field)


def total(ranges: Iterable[Range]) -> int:
    return sum(e - s + 1 for s, e in ranges)


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, with touching/overlapping ranges joined."""
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def subtract(blocks: Sequence[Range], cut: Range) -> tuple[list[Range], int]:
    """Removes `cut` from `blocks`; returns the remaining pieces and how many serials of
    `cut` were found in `blocks`."""
    rest: list[Range] = []
    found = 0
    a, b = cut
    for s, e in blocks:
        if e < a or s > b:
            rest.append((s, e))
            continue
        found += min(e, b) - max(s, a) + 1
        if s < a:
            rest.append((s, a - 1))
        if e > b:
            rest.append((b + 1, e))
    return rest, found


# --- database ------------------------------------------------------------------------------

_B = BlankoSerialBlock.__table__


def previously_received(ranges: list[Range]) -> list[Range]:
    """Parts of `ranges` that some earlier penerimaan already brought in (never twice)."""
    if not ranges:
        return []
    R, M = BlankoSerialRange.__table__, BlankoMovement.__table__
    overlaps = sa.or_(*[sa.and_(R.c.start_no <= e, R.c.end_no >= s) for s, e in ranges])
    rows = db.session.execute(
        sa.select(R.c.start_no, R.c.end_no)
        .join(M, M.c.id == R.c.movement_id)
        .where(M.c.kind == "penerimaan", overlaps)
        .limit(20)
    ).all()
    clash = []
    for s, e in ranges:
        for rs, re_ in rows:
            if rs <= e and re_ >= s:
                clash.append((max(s, rs), min(e, re_)))
    return merge(clash)


def carve(
    region_code: str,
    state: str,
    ranges: list[Range],
    *,
    movement_id: int | None = None,
    field: str = "serial_ranges",
    place: str = "",
) -> None:
    """Takes `ranges` out of the blocks of (location, state[, movement]); every serial must be
    there, or nothing changes and ValidationFailed says which serials are missing."""
    if not ranges:
        return
    cond = [_B.c.region_code == region_code, _B.c.state == state]
    if movement_id is not None:
        cond.append(_B.c.movement_id == movement_id)
    overlaps = sa.or_(*[sa.and_(_B.c.start_no <= e, _B.c.end_no >= s) for s, e in ranges])
    rows = db.session.execute(
        sa.select(_B.c.id, _B.c.start_no, _B.c.end_no, _B.c.movement_id).where(*cond, overlaps)
    ).all()
    have = [(r.start_no, r.end_no) for r in rows]
    missing: list[Range] = []
    for s, e in ranges:
        pieces = [(s, e)]
        for hs, he in have:
            nxt = []
            for p in pieces:
                left, _ = subtract([p], (hs, he))
                nxt.extend(left)
            pieces = nxt
        missing.extend(pieces)
    if missing:
        shown = ", ".join(fmt_range(r) for r in merge(missing)[:5])
        raise ValidationFailed(
            errors={field: [f"Nomor seri {shown} tidak berada di {place or region_code}."]}
        )
    remaining: list[tuple[Range, int | None]] = []
    for r in rows:
        pieces = [(r.start_no, r.end_no)]
        for cut in ranges:
            pieces, _ = subtract(pieces, cut)
        remaining.extend((p, r.movement_id) for p in pieces)
    db.session.execute(sa.delete(_B).where(_B.c.id.in_([r.id for r in rows])))
    _insert(region_code, state, remaining)


def add(region_code: str, state: str, ranges: list[Range], movement_id: int | None) -> None:
    _insert(region_code, state, [(r, movement_id) for r in ranges])


def _insert(region_code: str, state: str, pieces: list[tuple[Range, int | None]]) -> None:
    """Inserts (range, movement id) pieces in one state at one location; none: no statement."""
    if not pieces:
        return
    db.session.execute(
        sa.insert(_B),
        [
            {
                "region_code": region_code,
                "start_no": s,
                "end_no": e,
                "state": state,
                "movement_id": mid,
            }
            for (s, e), mid in pieces
        ],
    )


def set_state(movement_id: int, from_state: str, to_state: str) -> int:
    """Blocks of a transfer arrive, or a rejected write-off's blocks return to stock."""
    res = db.session.execute(
        sa.update(_B)
        .where(_B.c.movement_id == movement_id, _B.c.state == from_state)
        .values(state=to_state, movement_id=None)
    )
    return res.rowcount


def drop(movement_id: int, state: str) -> int:
    res = db.session.execute(
        sa.delete(_B).where(_B.c.movement_id == movement_id, _B.c.state == state)
    )
    return res.rowcount


def holdings(region_code: str, state: str = "held", limit: int = 50) -> list[Range]:
    rows = db.session.execute(
        sa.select(_B.c.start_no, _B.c.end_no)
        .where(_B.c.region_code == region_code, _B.c.state == state)
        .order_by(_B.c.start_no)
        .limit(limit)
    ).all()
    return merge((r.start_no, r.end_no) for r in rows)

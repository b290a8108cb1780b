"""XLSX import of the register, daily usage and coverage: all rows or none.

Every problem is reported as `Baris N, kolom X: pesan` (N is the spreadsheet row number, X the
column header). Reading is separate from writing so the web can show a preview first and the
CLI can `--dry-run`. Limits (file size, uncompressed size, rows counting blank ones, cells,
seconds) are enforced while reading, in `common.xlsx_reader`; formula cells are refused.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from openpyxl.utils import get_column_letter

from assets_app.assets import services, settings
from assets_app.assets.fields import ASSET_FIELDS, clean_asset_fields, is_blank
from assets_app.assets.models import Asset, StatusEvent, UsageDay
from assets_app.audit.listener import record_bulk_insert
from assets_app.common import xlsx_reader
from assets_app.common.bulk import ANALYZE_AFTER_ROWS, analyze, insert_rows
from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import start_of_day, today_wib, utcnow
from assets_app.common.xlsx_reader import FORMULA_MESSAGE, Formula
from assets_app.extensions import db
from assets_app.regions.models import Region, kabkota_of

DEFAULT_MAX_BYTES = xlsx_reader.DEFAULTS["IMPORT_MAX_BYTES"]
DEFAULT_MAX_ROWS = xlsx_reader.DEFAULTS["IMPORT_MAX_ROWS"]
UPLOAD_TTL_SECONDS = 24 * 3600
ERRORS_SHOWN = 500  # the web lists this many; the CLI prints them all


class ImportFailed(ValidationFailed):
    """The file cannot be imported; `messages` lists every problem in file order."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(errors={"file": messages})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False


ASSET_COLUMNS = tuple(Column(f.key, f.header, f.required) for f in ASSET_FIELDS)
USAGE_COLUMNS = (
    Column("region_code", "Kode Wilayah", True),
    Column("day", "Tanggal", True),
    Column("rekam", "Rekam", True),
    Column("cetak_ktp", "Cetak KTP-el", True),
    Column("cetak_kk", "Cetak KK", True),
    Column("ditolak", "Ditolak", True),
    Column("kuota", "Kuota"),
)
COVERAGE_COLUMNS = (
    Column("region_code", "Kode Wilayah", True),
    Column("as_of", "Per Tanggal", True),
    Column("wajib_ktp", "Wajib KTP-el", True),
    Column("sudah_rekam", "Sudah Rekam", True),
)
KINDS = {"aset": ASSET_COLUMNS, "pemakaian": USAGE_COLUMNS, "cakupan": COVERAGE_COLUMNS}


@dataclass
class ImportResult:
    kind: str
    rows: list[dict] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    value: int = 0  # assets: sum of unit prices
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.rows)


def _norm_header(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().lower()


def read_sheet(data: bytes, columns: tuple[Column, ...]) -> list[tuple[int, dict, set[str]]]:
    """(row number, {key: raw cell value}, formula columns) for every non-empty data row of
    the first sheet. A formula cell's value is None in the dict and its key (or, outside the
    known columns, its column letter) is in the set.

    Raises ImportFailed for a file that is not a usable XLSX, whose header row is wrong or
    that passes a limit (`common.xlsx_reader`: bytes, unpacked bytes, rows counting blank
    ones, cells, seconds).
    """
    try:
        with xlsx_reader.open_first_sheet(data, xlsx_reader.Limits.from_config()) as rows:
            return _read_rows(rows, columns)
    except xlsx_reader.SheetRefused as e:
        raise ImportFailed([e.message]) from None


def _header_index(header, columns) -> dict[str, int]:
    wanted = {_norm_header(c.header): c for c in columns}
    index: dict[str, int] = {}
    problems: list[str] = []
    for i, value in enumerate(header):
        if is_blank(value):
            continue
        if isinstance(value, Formula):
            problems.append(
                f"Baris 1, kolom {get_column_letter(i + 1)}: judul kolom berisi rumus; "
                "ketik judulnya sebagai teks."
            )
            continue
        col = wanted.get(_norm_header(value))
        text = " ".join(str(value).split())
        if col is None:
            problems.append(
                f"Baris 1, kolom {text}: judul kolom tidak dikenal. "
                f"Judul yang diterima: {', '.join(c.header for c in columns)}."
            )
        elif col.key in index:
            problems.append(f"Baris 1, kolom {col.header}: judul kolom ganda.")
        else:
            index[col.key] = i
    for col in columns:
        if col.required and col.key not in index:
            problems.append(f"Baris 1, kolom {col.header}: kolom wajib tidak ada di baris judul.")
    if problems:
        raise ImportFailed(problems)
    return index


def _read_rows(rows, columns) -> list[tuple[int, dict, set[str]]]:
    first = next(rows, None)
    header = first[1] if first is not None else ()
    if first is None or first[0] != 1 or all(is_blank(v) for v in header):
        raise ImportFailed(
            ["Lembar pertama kosong: baris 1 harus berisi judul kolom seperti pada templat."]
        )
    index = _header_index(header, columns)
    known = set(index.values())
    out: list[tuple[int, dict, set[str]]] = []
    for row_no, values in rows:
        if all(is_blank(v) for v in values):
            continue
        raw = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        formulas = {k for k, v in raw.items() if isinstance(v, Formula)}
        formulas.update(
            get_column_letter(i + 1)
            for i, v in enumerate(values)
            if i not in known and isinstance(v, Formula)
        )
        out.append((row_no, {k: (None if k in formulas else v) for k, v in raw.items()}, formulas))
    if not out:
        raise ImportFailed(
            ["Tidak ada baris data: isikan data mulai baris 2 di bawah judul kolom."]
        )
    return out


def _flag_formulas(errors: dict, formulas: set[str]) -> None:
    """A formula cell is reported as such, never as the empty value it was read as."""
    for key in formulas:
        errors[key] = [FORMULA_MESSAGE]


def _msg(row_no: int, header: str, message: str) -> str:
    return f"Baris {row_no}, kolom {header}: {message}"


def _load_regions(codes) -> dict[str, Region]:
    codes = sorted({c for c in codes if isinstance(c, str)})
    found: dict[str, Region] = {}
    for i in range(0, len(codes), 1000):
        chunk = codes[i : i + 1000]
        found.update(
            (r.code, r) for r in db.session.scalars(sa.select(Region).where(Region.code.in_(chunk)))
        )
    return found


def _region_code(raw) -> str | None:
    if isinstance(raw, str) and raw.strip():
        return " ".join(raw.split())
    return None


# --- assets --------------------------------------------------------------------------------


def _first_seen(seen: dict, key, row_no: int) -> int | None:
    """The earlier row holding `key`; None when this is its first row (then remembered)."""
    if key in seen:
        return seen[key]
    seen[key] = row_no
    return None


def _collect(problems: list, row_no: int, errors: dict, order: dict, header: dict) -> None:
    """Adds a row's field errors as (row, column position, message) for sorting later."""
    for k, messages in errors.items():
        for m in messages:
            problems.append((row_no, order.get(k, len(order)), _msg(row_no, header.get(k, k), m)))


def validate_assets(data: bytes, user, *, today: date | None = None) -> ImportResult:
    """Reads and checks every row; raises ImportFailed listing every problem."""
    rows = [(n, raw, formulas, {}) for n, raw, formulas in read_sheet(data, ASSET_COLUMNS)]
    header = {c.key: c.header for c in ASSET_COLUMNS}
    return validate_asset_rows(rows, user, header, today=today)


def validate_asset_rows(rows, user, header: dict, *, today: date | None = None) -> ImportResult:
    """Checks register rows read from any layout: `rows` are (row number, {field key: raw
    value}, formula keys, errors the layout found); `header` names each field key's column
    in the file (for `Baris N, kolom X`). Raises ImportFailed listing every problem."""
    today = today or today_wib()
    problems: list[tuple[int, int, str]] = []
    order = {k: i for i, k in enumerate(header)}
    regions = _load_regions(_region_code(raw.get("region_code")) for _, raw, _, _ in rows)
    result = ImportResult(kind="aset")
    enums = settings.asset_enums()
    seen: dict[tuple[str, str, str], int] = {}
    nibars: dict[tuple[str, str], int] = {}
    for row_no, raw, formulas, found in rows:
        clean, errors = clean_asset_fields(raw, today, enums=enums)
        for k, messages in found.items():
            errors.setdefault(k, []).extend(messages)
        _flag_formulas(errors, formulas)
        code = clean.get("region_code")
        if code and not services.check_region(
            code, user, settings.ASSET_REGION_LEVELS, errors, regions=regions
        ):
            clean.pop("region_code")
            code = None
        key = (clean.get("kode_barang"), clean.get("register_no"), code)
        if not errors and all(key) and (earlier := _first_seen(seen, key, row_no)) is not None:
            errors.setdefault("register_no", []).append(
                f"Nomor register {key[1]} untuk kode barang {key[0]} di wilayah {key[2]} "
                f"sudah dipakai di baris {earlier}."
            )
        nkey = (clean.get("nibar"), kabkota_of(code) if code else None)
        if not errors and all(nkey) and (earlier := _first_seen(nibars, nkey, row_no)) is not None:
            errors.setdefault("nibar", []).append(
                f"NIBAR {nkey[0]} di kabupaten/kota {nkey[1]} sudah dipakai di baris {earlier}."
            )
        _collect(problems, row_no, errors, order, header)
        if not errors:
            result.rows.append(clean)
            result.row_numbers.append(row_no)
            result.value += clean["unit_price"]
    # Against the register: one query per 1,000 keys of the file.
    taken = _existing_keys(seen)
    for key in sorted(taken, key=lambda k: seen[k]):
        row_no = seen[key]
        message = services.register_taken_message(key[0], key[1], key[2])
        problems.append(
            (row_no, order["register_no"], _msg(row_no, header["register_no"], message))
        )
    for nkey in sorted(_existing_nibars(nibars), key=lambda k: nibars[k]):
        row_no = nibars[nkey]
        message = services.nibar_taken_message(nkey[0], nkey[1])
        problems.append((row_no, order.get("nibar", 0), _msg(row_no, header["nibar"], message)))
    if problems:
        problems.sort()
        raise ImportFailed([m for _, _, m in problems])
    return result


def _existing_nibars(keys: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    """The (NIBAR, kab/kota) of the file that the register already holds; one query per 500."""
    wanted = sorted({n for n, _ in keys})
    taken: set[tuple[str, str]] = set()
    for i in range(0, len(wanted), 500):
        stmt = sa.select(Asset.nibar, Asset.region_code).where(Asset.nibar.in_(wanted[i : i + 500]))
        for nibar, region in db.session.execute(stmt):
            if (nibar, kabkota_of(region)) in keys:
                taken.add((nibar, kabkota_of(region)))
    return taken


def _existing_keys(keys: dict[tuple[str, str, str], int]) -> set[tuple[str, str, str]]:
    """The (kode barang, register, region) of the file the register already holds: exact
    row-value IN lists served by the unique index, 1,000 keys a query (one query per 500
    region/kode pairs matching every register number of them was 10,000s of rows)."""
    wanted = sorted(keys)
    cols = sa.tuple_(Asset.kode_barang, Asset.register_no, Asset.region_code)
    taken: set[tuple[str, str, str]] = set()
    for i in range(0, len(wanted), 1000):
        stmt = sa.select(Asset.kode_barang, Asset.register_no, Asset.region_code).where(
            cols.in_(wanted[i : i + 1000])
        )
        taken.update(tuple(row) for row in db.session.execute(stmt))
    return taken


def import_assets(
    data: bytes, by, *, dry_run: bool = False, today: date | None = None
) -> ImportResult:
    """Validates the whole file, then inserts every row in bulk (assets, their first status
    event and one audit row per asset). Nothing is written when any row is wrong."""
    started = time.perf_counter()
    result = validate_assets(data, by, today=today)
    return _finish_import(result, by, dry_run, started)


def _finish_import(result: ImportResult, by, dry_run: bool, started: float) -> ImportResult:
    if not dry_run:
        insert_assets_bulk(result.rows, by)
        result.created = result.count
    result.seconds = time.perf_counter() - started
    return result


def insert_assets_bulk(rows: list[dict], by, *, chunk: int = 5000) -> list[int]:
    """Bulk INSERT: bypasses the ORM unit of work (and so the automatic audit), hence the audit
    rows are written here, one per asset, with the same snapshot (Core executemany,
    `common.bulk`)."""
    now = utcnow()
    ids: list[int] = []
    assets = Asset.__table__
    for i in range(0, len(rows), chunk):
        values = [_asset_values(clean, now) for clean in rows[i : i + chunk]]
        insert_rows(db.session, assets, values)
        # The ids by the unique label token: RETURNING would make SQLite insert row by row
        # (ordered) and PostgreSQL build multi-row statements (see common.bulk).
        tokens = [v["label_token"] for v in values]
        by_token = dict(
            db.session.execute(
                sa.select(Asset.label_token, Asset.id).where(Asset.label_token.in_(tokens))
            ).all()
        )
        new_ids = [by_token[v["label_token"]] for v in values]
        insert_rows(
            db.session,
            StatusEvent.__table__,
            [
                {
                    "asset_id": aid,
                    "status": "operasional",
                    "started_at": v["status_since"],
                    "note": "Dicatat di register KIB B (impor XLSX).",
                    "created_by_id": getattr(by, "id", None),
                    "created_at": now,
                }
                for aid, v in zip(new_ids, values, strict=True)
            ],
        )
        record_bulk_insert(
            db.session,
            Asset.__tablename__,
            (
                (aid, v["region_code"], {"id": aid, **v, "sumber": "impor XLSX"})
                for aid, v in zip(new_ids, values, strict=True)
            ),
            by=by,
        )
        ids.extend(new_ids)
    if len(rows) >= ANALYZE_AFTER_ROWS:
        analyze(db.session, Asset.__table__, StatusEvent.__table__)
    return ids


def _asset_values(clean: dict, now) -> dict:
    return {
        **{f.key: clean.get(f.key) for f in ASSET_FIELDS},
        "label_token": services.new_label_token(),
        "status": "operasional",
        "status_since": start_of_day(clean["acquired_on"]),
        "created_at": now,
        "updated_at": now,
    }


# --- usage and coverage --------------------------------------------------------------------


def _validate_simple(data, user, columns, cleaner, kind, unique_keys, today):
    rows = read_sheet(data, columns)
    header = {c.key: c.header for c in columns}
    order = {c.key: i for i, c in enumerate(columns)}
    regions = _load_regions(_region_code(raw.get("region_code")) for _, raw, _ in rows)
    problems: list[tuple[int, int, str]] = []
    result = ImportResult(kind=kind)
    seen: dict[tuple, int] = {}
    for row_no, raw, formulas in rows:
        errors: dict[str, list[str]] = {}
        try:
            clean = cleaner(raw, regions, user, today)
        except ValidationFailed as exc:
            clean = None
            for k, messages in exc.errors.items():
                errors.setdefault(k, []).extend(messages)
        _flag_formulas(errors, formulas)
        if clean is not None and not errors:
            key = tuple(clean[k] for k in unique_keys)
            if (earlier := _first_seen(seen, key, row_no)) is not None:
                errors.setdefault(unique_keys[1], []).append(
                    f"Data untuk wilayah {key[0]} tanggal {key[1].strftime('%d/%m/%Y')} "
                    f"sudah ada di baris {earlier}."
                )
        _collect(problems, row_no, errors, order, header)
        if clean is not None and not errors:
            result.rows.append(clean)
            result.row_numbers.append(row_no)
    if problems:
        problems.sort()
        raise ImportFailed([m for _, _, m in problems])
    return result


@dataclass(frozen=True)
class _Daily:
    """A kind of one-row-per-region-per-day import: a second row for the same day corrects."""

    kind: str
    columns: tuple[Column, ...]
    day_key: str
    values: tuple[str, ...]  # the columns a correction replaces
    cleaner: str  # name of the services function that checks one row


def _daily_kinds():
    from assets_app.assets.models import CoverageSnapshot

    return {
        "pemakaian": (
            _Daily(
                "pemakaian", USAGE_COLUMNS, "day", (*settings.USAGE_COUNTS, "kuota"), "clean_usage"
            ),
            UsageDay,
        ),
        "cakupan": (
            _Daily(
                "cakupan", COVERAGE_COLUMNS, "as_of", ("wajib_ktp", "sudah_rekam"), "clean_coverage"
            ),
            CoverageSnapshot,
        ),
    }


def _import_daily(kind: str, data: bytes, by, dry_run: bool, today: date | None) -> ImportResult:
    started = time.perf_counter()
    spec, model = _daily_kinds()[kind]
    clean_row = getattr(services, spec.cleaner)

    def cleaner(raw, regions, user, today):
        return clean_row(user, raw, today=today, regions=regions)

    result = _validate_simple(
        data, by, spec.columns, cleaner, kind, ("region_code", spec.day_key), today or today_wib()
    )
    existing = _existing_rows(model, getattr(model, spec.day_key), result.rows, spec.day_key)
    for clean in result.rows:
        row = existing.get((clean["region_code"], clean[spec.day_key]))
        if row is None:
            result.created += 1
            if not dry_run:
                extra = {"created_by_id": getattr(by, "id", None)} if model is UsageDay else {}
                db.session.add(model(**clean, **extra))
        else:
            result.updated += 1
            if not dry_run:
                for k in spec.values:
                    setattr(row, k, clean[k])
    if not dry_run:
        db.session.flush()
    result.seconds = time.perf_counter() - started
    return result


def import_usage(
    data: bytes, by, *, dry_run: bool = False, today: date | None = None
) -> ImportResult:
    """Daily usage rows; a row for a day already reported replaces it (a correction)."""
    return _import_daily("pemakaian", data, by, dry_run, today)


def import_coverage(
    data: bytes, by, *, dry_run: bool = False, today: date | None = None
) -> ImportResult:
    """Coverage rows; a row for a region and date already recorded replaces it."""
    return _import_daily("cakupan", data, by, dry_run, today)


def _existing_rows(model, day_col, rows, day_key) -> dict:
    if not rows:
        return {}
    codes = sorted({r["region_code"] for r in rows})
    days = [r[day_key] for r in rows]
    stmt = sa.select(model).where(
        model.region_code.in_(codes), day_col >= min(days), day_col <= max(days)
    )
    return {(m.region_code, getattr(m, day_key)): m for m in db.session.scalars(stmt)}


IMPORTERS = {"aset": import_assets, "pemakaian": import_usage, "cakupan": import_coverage}


# --- uploads kept between preview and confirmation ----------------------------------------


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "import"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload_path(kind: str, user_id, token: str) -> Path | None:
    if kind not in KINDS or not re.fullmatch(r"[A-Za-z0-9_-]{20,60}", token or ""):
        return None
    return _upload_dir() / f"{kind}-{user_id or 0}-{token}.xlsx"


def store_upload(kind: str, user_id, data: bytes) -> str:
    """Keeps an uploaded file until it is confirmed; only the same user can confirm it."""
    directory = _upload_dir()
    cutoff = time.time() - UPLOAD_TTL_SECONDS
    for old in directory.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
    token = secrets.token_urlsafe(24)
    path = _upload_path(kind, user_id, token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return token


def load_upload(kind: str, user_id, token: str) -> bytes | None:
    path = _upload_path(kind, user_id, token)
    if path is None or not path.exists():
        return None
    return path.read_bytes()


def discard_upload(kind: str, user_id, token: str) -> None:
    path = _upload_path(kind, user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)

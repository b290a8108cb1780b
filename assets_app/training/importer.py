"""XLSX import of operators: every row or none, each problem as `Baris N, kolom X: pesan`.

The same field rules as the form and the API (`services.check_operator_fields`); region,
NIP and name look-ups are batched, so a 5,000-row file costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from assets_app.common import xlsx_reader
from assets_app.common.validate import Invalid, is_blank, parse_text
from assets_app.common.xlsx_reader import FORMULA_MESSAGE, Formula
from assets_app.training import queries, services

# Header text (exact) → field. The first three are required columns.
HEADERS = {
    "Nama": "name",
    "Jabatan": "position",
    "Kode Wilayah": "region_code",
    "NIP": "nip",
    "Telepon": "phone",
    "Aktif": "active",
}
REQUIRED_HEADERS = ("Nama", "Jabatan", "Kode Wilayah")
COLUMN_OF = {v: k for k, v in HEADERS.items()}
MAX_ROWS = 5000
TRUE_WORDS = {"ya", "y", "aktif", "1", "true"}
FALSE_WORDS = {"tidak", "t", "nonaktif", "0", "false"}
# Columns where a number cell is refused: Excel drops the leading zeros or digits.
NUMBERS_LOSE = {
    "nip": "NIP harus diketik sebagai teks (format sel Teks), bukan angka.",
    "region_code": "Kode wilayah harus diketik sebagai teks, misalnya 35.11.05.",
}


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _read(data: bytes) -> tuple[list | None, list[tuple[int, tuple]], list[str]]:
    """(headers, [(excel row number, values)], file-level errors). The reader counts blank
    rows, cells and seconds too (`common.xlsx_reader`); formula cells come as `Formula`."""
    limits = xlsx_reader.Limits.from_config(max_rows=MAX_ROWS)
    headers = None
    rows: list[tuple[int, tuple]] = []
    try:
        with xlsx_reader.open_first_sheet(data, limits) as sheet:
            for idx, values in sheet:
                if idx == 1:
                    headers = [v if isinstance(v, Formula) else _cell_text(v) for v in values]
                elif not all(is_blank(v) for v in values):
                    rows.append((idx, values))
    except xlsx_reader.SheetRefused as e:
        return None, [], [e.message]
    return headers, rows, []


def _map_headers(headers: list[str] | None) -> tuple[dict[str, int], list[str]]:
    errors: list[str] = []
    if not headers or not any(headers):
        return {}, ["Baris 1: judul kolom tidak ada. Gunakan templat impor operator."]
    index: dict[str, int] = {}
    for pos, text in enumerate(headers):
        if isinstance(text, Formula):
            errors.append(
                f"Baris 1, kolom {get_column_letter(pos + 1)}: judul kolom berisi rumus; "
                "ketik judulnya sebagai teks."
            )
            continue
        if not text:
            continue
        if text not in HEADERS:
            errors.append(
                f"Baris 1, kolom {text}: judul kolom tidak dikenal "
                f"(yang dikenal: {', '.join(HEADERS)})."
            )
        elif HEADERS[text] in index:
            errors.append(f"Baris 1, kolom {text}: judul kolom muncul lebih dari sekali.")
        else:
            index[HEADERS[text]] = pos
    for name in REQUIRED_HEADERS:
        if HEADERS[name] not in index:
            errors.append(f"Baris 1, kolom {name}: kolom wajib tidak ada.")
    return index, errors


def import_operators(data: bytes, by, *, dry_run: bool = False) -> ImportResult:
    """Validates the whole file; creates every operator only when no row has a problem."""
    result = ImportResult(dry_run=dry_run)
    headers, rows, file_errors = _read(data)
    index, header_errors = _map_headers(headers) if not file_errors else ({}, [])
    if file_errors or header_errors:
        result.errors = file_errors or header_errors
        return result
    if not rows:
        result.errors = ["Berkas tidak berisi baris data (baris 2 dan seterusnya kosong)."]
        return result
    result.rows = len(rows)
    errors: list[tuple[int, str, str]] = []
    parsed = [(rowno, _parse_row(rowno, values, index, errors)) for rowno, values in rows]
    _check_against_register(parsed, errors, by)
    if errors:
        order = list(COLUMN_OF)
        errors.sort(key=lambda e: (e[0], order.index(e[1]) if e[1] in order else 99))
        result.errors = [f"Baris {r}, kolom {COLUMN_OF.get(k, k)}: {m}" for r, k, m in errors]
    elif not dry_run:
        result.created = len(services.create_operators([c for _, c in parsed], by))
    return result


def _active(value, row_errors) -> bool:
    """The Aktif column: empty = Ya; Ya/Tidak (and a few synonyms) or a TRUE/FALSE cell."""
    word = _cell_text(value).lower()
    if isinstance(value, bool):
        return value
    if word in TRUE_WORDS or not word:
        return True
    if word in FALSE_WORDS:
        return False
    row_errors["active"] = ["Isi dengan Ya atau Tidak."]
    return True


def _parse_row(rowno: int, values: tuple, index: dict, errors: list) -> services.OperatorInput:
    """One row's typed values; its problems are appended to `errors` as (row, field, message)."""

    def get(name):
        pos = index.get(name)
        value = values[pos] if pos is not None and pos < len(values) else None
        return None if isinstance(value, Formula) else value

    # A formula cell, in any column, is reported as such and never read as its cached value.
    field_at = {pos: name for name, pos in index.items()}
    row_errors: dict[str, list[str]] = {
        field_at.get(pos) or get_column_letter(pos + 1): [FORMULA_MESSAGE]
        for pos, value in enumerate(values)
        if isinstance(value, Formula)
    }
    raw = {}
    for name in ("name", "position", "region_code", "nip", "phone"):
        value = get(name)
        if isinstance(value, float | int) and not isinstance(value, bool) and name in NUMBERS_LOSE:
            # Numbers typed into text columns lose leading zeros or digits in Excel.
            row_errors[name] = [NUMBERS_LOSE[name]]
            value = "-" if name == "region_code" else None
        try:
            raw[name] = parse_text(value)
        except Invalid as e:
            row_errors[name], raw[name] = [str(e)], None
    clean, field_errors = services.check_operator_fields(
        {**raw, "active": _active(get("active"), row_errors)}
    )
    for key, msgs in field_errors.items():
        row_errors.setdefault(key, msgs)
    errors.extend((rowno, key, m) for key, msgs in row_errors.items() for m in msgs)
    return clean


def _check_against_register(parsed: list, errors: list, by) -> None:
    """Batched look-ups (regions, NIPs, same name in the same region), then duplicates within
    the file; each problem is appended to `errors`."""
    bad_region_rows = {r for r, k, _ in errors if k == "region_code"}
    bad_nip_rows = {r for r, k, _ in errors if k == "nip"}
    region_problems = services.check_operator_regions(
        {c.region_code for r, c in parsed if r not in bad_region_rows}, by
    )
    nips_taken = queries.existing_nips({c.nip for _, c in parsed if c.nip})
    names_taken = queries.existing_name_regions(
        {
            (c.name.lower(), c.region_code)
            for _, c in parsed
            if c.name and c.region_code and not c.nip
        }
    )
    seen_nip: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    for rowno, c in parsed:
        if rowno not in bad_region_rows and c.region_code in region_problems:
            errors.append((rowno, "region_code", region_problems[c.region_code]))
        if c.nip and rowno not in bad_nip_rows:
            if c.nip in nips_taken:
                errors.append((rowno, "nip", f"NIP {c.nip} sudah terdaftar."))
            elif c.nip in seen_nip:
                errors.append(
                    (rowno, "nip", f"NIP {c.nip} sudah dipakai di baris {seen_nip[c.nip]}.")
                )
            seen_nip.setdefault(c.nip, rowno)
        if c.name and not c.nip and c.region_code:
            key = (c.name.lower(), c.region_code)
            if key in names_taken:
                errors.append(
                    (
                        rowno,
                        "name",
                        f"Operator bernama {c.name} sudah terdaftar di wilayah {c.region_code}; "
                        "isi NIP bila ini orang lain.",
                    )
                )
            elif key in seen_name:
                errors.append(
                    (rowno, "name", f"Nama dan wilayah sama dengan baris {seen_name[key]}.")
                )
            seen_name.setdefault(key, rowno)


def template_bytes() -> bytes:
    from reports.training_xlsx import render_operator_template

    return render_operator_template(
        headers=list(HEADERS),
        text_columns=("NIP", "Kode Wilayah", "Telepon"),
        example=(
            "Siti Aminah",
            "Operator Perekaman",
            "35.11.05",
            "198703122010012003",
            "081234567890",
            "Ya",
        ),
        notes=(
            "Wajib: Nama, Jabatan, Kode Wilayah (kecamatan, atau kab/kota untuk operator Dinas).",
            "NIP boleh kosong; bila diisi 18 angka dan belum terdaftar.",
            "Telepon diawali 0 atau +62. Aktif: Ya/Tidak (kosong = Ya).",
            "Jangan isi NIK atau data kependudukan lain.",
            "Satu baris salah → tidak ada yang diimpor; semua masalah ditampilkan.",
        ),
    )

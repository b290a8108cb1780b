"""Bounded reading of an uploaded XLSX: every importer streams its first sheet through here.

An upload is untrusted. A 600 KB file can unpack to hundreds of MB of blank rows, and a cell
can hold a formula whose cached value is whatever the sender's Excel last computed. So before
openpyxl sees the file the declared uncompressed sizes of its members are checked; while the
first sheet streams every row is counted (blank ones and gaps in the row numbers included),
every cell is counted (first by a cheap pass over the sheet's XML, then as openpyxl yields the
rows) and a deadline is checked on every read from the archive. The first
limit reached stops the work with one clear message (`SheetRefused`). Formula cells come out
as `Formula` so the importer can name the column instead of importing a stale cached value.
"""

from __future__ import annotations

import io
import posixpath
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.parsers import expat

from flask import current_app

from assets_app.common.formatting import number
from assets_app.common.validate import is_blank

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMULA_MESSAGE = "berisi rumus; isi dengan nilai (salin lalu Tempel Spesial → Nilai)."

# Defaults of the config keys (assets_app/config.py); a test or an installation may lower them.
DEFAULTS = {
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_UNZIPPED_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20_000,
    "IMPORT_MAX_BLANK_ROWS": 5_000,
    "IMPORT_MAX_CELLS": 1_000_000,
    "IMPORT_MAX_SECONDS": 30,
}


class SheetRefused(Exception):
    """The file is refused as a whole; `message` says why, in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _TimeUp(SheetRefused):
    pass


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: never imported, reported by column."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unzipped: int
    max_rows: int  # data rows (non-blank rows below the header)
    max_blank_rows: int  # blank rows anywhere, gaps in the row numbers included
    max_cells: int
    max_seconds: float

    @classmethod
    def from_config(cls, *, max_rows: int | None = None) -> Limits:
        cfg = current_app.config

        def get(key):
            return cfg.get(key, DEFAULTS[key])

        rows = int(get("IMPORT_MAX_ROWS"))
        return cls(
            max_bytes=int(get("IMPORT_MAX_BYTES")),
            max_unzipped=int(get("IMPORT_MAX_UNZIPPED_BYTES")),
            max_rows=min(rows, max_rows) if max_rows else rows,
            max_blank_rows=int(get("IMPORT_MAX_BLANK_ROWS")),
            max_cells=int(get("IMPORT_MAX_CELLS")),
            max_seconds=float(get("IMPORT_MAX_SECONDS")),
        )


def mb(n: int) -> str:
    return number(round(n / 1024 / 1024, 1), 1) + " MB"


class _DeadlineFile(io.BytesIO):
    """The archive as openpyxl reads it: every read first checks the deadline, so shared
    strings, styles and the sheet itself all stop in time."""

    def __init__(self, data: bytes, deadline: float, seconds: float):
        super().__init__(data)
        self._deadline = deadline
        self._seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self._deadline:
            raise _TimeUp(
                f"Berkas terlalu lama diproses (lebih dari {number(self._seconds)} detik). "
                "Pecah menjadi beberapa berkas yang lebih kecil lalu unggah lagi."
            )

    def read(self, size: int | None = -1) -> bytes:
        self.check()
        return super().read(size)


def check_file(data: bytes, limits: Limits) -> None:
    """File-level checks that need no parsing: size, format and declared uncompressed size."""
    if not data:
        raise SheetRefused("Berkas kosong (0 byte).")
    if len(data) > limits.max_bytes:
        raise SheetRefused(
            f"Berkas terlalu besar ({mb(len(data))}); batasnya {mb(limits.max_bytes)}. "
            "Pecah menjadi beberapa berkas."
        )
    if data[:8] == XLS_MAGIC:
        raise SheetRefused(
            "Berkas berformat .xls (Excel 97-2003). Simpan ulang sebagai .xlsx lalu unggah lagi."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise SheetRefused(
            "Berkas bukan XLSX (Excel 2007 ke atas). Gunakan templat .xlsx yang disediakan."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:  # noqa: BLE001 - untrusted bytes (zipfile refuses an unsupported zip version too)
        raise SheetRefused("Berkas XLSX rusak atau tidak dapat dibaca.") from None
    # Declared sizes are binding: zipfile stops at them and fails the CRC of a member that
    # unpacks to more. So checking them here bounds the work before anything is unpacked.
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped or any(i.file_size > limits.max_unzipped for i in infos):
        raise SheetRefused(
            f"Isi berkas terlalu besar setelah diekstrak ({mb(total)}; batasnya "
            f"{mb(limits.max_unzipped)}). Biasanya karena banyak baris atau kolom kosong yang "
            "terformat: hapus baris dan kolom kosong di luar data, simpan ulang, lalu unggah lagi."
        )
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise SheetRefused(
            "Berkas ZIP ini bukan lembar kerja XLSX. Gunakan templat .xlsx yang disediakan."
        )


REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ELEMENTS_PER_CELL = 5  # <c>, <v> or <f>, <is><t>, rich text runs: the pre-scan's element bound


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet_path(zf: zipfile.ZipFile) -> str | None:
    """The archive path of the first worksheet (chartsheets are skipped, as openpyxl's
    `worksheets` skips them), as the workbook and its relationships name it."""
    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels
        if rel.get("Type", "").endswith("/worksheet")
    }
    for sheet in (el for el in book.iter() if _local(el.tag) == "sheet"):
        target = targets.get(sheet.get(REL_NS + "id"))
        if target:
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return posixpath.normpath(path)
    return None


def _prescan(zf: zipfile.ZipFile, path: str, limits: Limits) -> None:
    """Streams the sheet's XML once through expat, counting <row> elements (and gaps in their
    numbers), <c> elements and elements of any kind, and stops at the first bound; only then may openpyxl read it
    (which, for a sheet without a <dimension>, parses the whole sheet just to size it)."""
    most_rows = limits.max_rows + limits.max_blank_rows + 1
    most_elements = ELEMENTS_PER_CELL * limits.max_cells + most_rows
    count = {"rows": 0, "last": 0, "cells": 0, "elements": 0}

    def start(name, attrs):
        count["elements"] += 1
        tag = name.rpartition(" ")[2]  # any namespace: the bound is on work, not on meaning
        if tag == "c" or count["elements"] > most_elements:
            count["cells"] += 1
            if count["cells"] > limits.max_cells or count["elements"] > most_elements:
                raise SheetRefused(_too_many_cells(limits, max(count["rows"], count["last"])))
        elif tag == "row":
            r = attrs.get("r", "")
            count["last"] = int(r) if r.isdigit() and len(r) < 12 else count["last"] + 1
            count["rows"] += 1
            if max(count["rows"], count["last"]) > most_rows:
                raise SheetRefused(
                    f"Terlalu banyak baris: lembar pertama berisi lebih dari "
                    f"{number(most_rows)} baris (baris kosong ikut dihitung). Hapus "
                    "baris kosong di bawah data atau pecah menjadi beberapa berkas."
                )

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with zf.open(path) as fh:
        while chunk := fh.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _too_many_cells(limits: Limits, row_no: int) -> str:
    return (
        f"Terlalu banyak sel: lebih dari {number(limits.max_cells)} sel sampai baris "
        f"{number(row_no)}. Hapus kolom kosong di luar data atau pecah berkasnya."
    )


def _cell_value(cell):
    if cell.data_type == "f":
        value = cell.value
        return Formula(str(getattr(value, "text", None) or value or "="))
    return cell.value


@contextmanager
def open_first_sheet(data: bytes, limits: Limits):
    """Yields an iterator of (row number, values) over the first sheet, header row included.

    Raises SheetRefused for a file that is not a usable XLSX or that passes a limit; the
    limits apply while iterating, so the caller sees the refusal at the row that crossed it.
    """
    check_file(data, limits)
    import openpyxl

    started = time.monotonic()
    source = _DeadlineFile(data, started + limits.max_seconds, limits.max_seconds)
    try:
        with zipfile.ZipFile(source) as zf:
            path = _first_sheet_path(zf)
            if path is None or path not in zf.NameToInfo:
                raise SheetRefused("Berkas XLSX rusak atau tidak dapat dibaca.")
            _prescan(zf, path, limits)
        wb = openpyxl.load_workbook(source, read_only=True, data_only=False)
    except SheetRefused:
        raise
    except Exception:  # noqa: BLE001 - any failure of the parser on untrusted bytes is a bad file
        raise SheetRefused("Berkas XLSX rusak atau tidak dapat dibaca.") from None
    try:
        if not wb.worksheets:
            raise SheetRefused("Berkas tidak berisi lembar kerja.")
        ws = wb.worksheets[0]
        # The declared dimension may claim A1:XFD1048576; without it rows are as wide as their
        # last cell and the sheet ends at its last row.
        ws.reset_dimensions()
        yield _bounded_rows(ws, limits, source)
    finally:
        wb.close()


def _bounded_rows(ws, limits: Limits, source: _DeadlineFile) -> Iterator[tuple[int, tuple]]:
    rows = ws.iter_rows()
    blank = data_rows = cells = 0
    row_no = 0
    while True:
        try:
            cells_of_row = next(rows, None)
        except SheetRefused:
            raise
        except Exception:  # noqa: BLE001 - see open_first_sheet
            raise SheetRefused("Berkas XLSX rusak atau tidak dapat dibaca.") from None
        if cells_of_row is None:
            return
        row_no += 1
        source.check()
        cells += len(cells_of_row)
        if cells > limits.max_cells:
            raise SheetRefused(_too_many_cells(limits, row_no))
        values = tuple(_cell_value(c) for c in cells_of_row)
        if all(is_blank(v) for v in values):
            blank += 1
            if blank > limits.max_blank_rows:
                raise SheetRefused(
                    f"Terlalu banyak baris kosong: lebih dari {number(limits.max_blank_rows)} "
                    f"baris kosong sampai baris {number(row_no)}. Hapus baris kosong (juga yang "
                    "di bawah data), simpan ulang, lalu unggah lagi."
                )
        elif row_no > 1:
            data_rows += 1
            if data_rows > limits.max_rows:
                raise SheetRefused(
                    f"Terlalu banyak baris: lebih dari {number(limits.max_rows)} baris data. "
                    "Pecah menjadi beberapa berkas berisi paling banyak "
                    f"{number(limits.max_rows)} baris."
                )
        yield row_no, values

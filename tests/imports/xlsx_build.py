"""Hand-made XLSX files for the import limits: a real workbook whose first sheet's XML is
replaced, streamed into the zip so a large sheet never sits in memory."""

from __future__ import annotations

import io
import re
import zipfile

from tests.assets.xlsx import workbook_bytes

SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(base: bytes, sheet_data_chunks) -> bytes:
    """`base` with the <sheetData> of its first sheet replaced by the streamed chunks."""
    src = zipfile.ZipFile(io.BytesIO(base))
    sheet = src.read(SHEET).decode()
    head, tail = re.split(r"<sheetData>.*</sheetData>|<sheetData/>", sheet, maxsplit=1, flags=re.S)
    head = re.sub(r"<dimension [^>]*/>", "", head)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != SHEET:
                zf.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1  # fast: the point is the unpacked size
        with zf.open(info, "w", force_zip64=True) as fh:
            fh.write(head.encode() + b"<sheetData>")
            for chunk in sheet_data_chunks:
                fh.write(chunk)
            fh.write(b"</sheetData>" + tail.encode())
    return out.getvalue()


def sheet_rows_of(base: bytes) -> bytes:
    """The <row> elements of `base`'s first sheet (to keep its header and data rows)."""
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET).decode()
    return re.search(r"<sheetData>(.*)</sheetData>", sheet, re.S).group(1).encode()


def blank_rows(count: int, *, per_chunk: int = 50_000):
    """`count` empty <row/> elements (numbered by position, as Excel may write them)."""
    chunk = b"<row/>" * per_chunk
    for start in range(0, count, per_chunk):
        yield chunk if start + per_chunk <= count else b"<row/>" * (count - start)


def blank_row_bomb(rows: list[list], headers, blank: int) -> bytes:
    base = workbook_bytes(rows, headers=headers)
    kept = sheet_rows_of(base)
    return with_sheet(base, [kept, *blank_rows(blank)])

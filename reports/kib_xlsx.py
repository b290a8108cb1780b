"""KIB B (Kartu Inventaris Barang B — Peralatan dan Mesin) as XLSX.

Streams rows into an openpyxl write-only workbook, so memory stays flat whatever the number
of rows: typed cells (numbers, dates), Rupiah number format, frozen header, autofilter and a
total row. Text that a spreadsheet could take for a formula (= + - @, tab, CR at the start) is
written as a plain string cell with Excel's "quote prefix" set, so it is shown and kept as
text and never evaluated.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports._format import printable
from reports._kop import Signatory
from reports._xlsx import FORMULA_PREFIXES, looks_like_formula, print_ready, text_cell

RUPIAH_FORMAT = '"Rp"#,##0'
DATE_FORMAT = "DD/MM/YYYY"
__all__ = [
    "FORMULA_PREFIXES",
    "KibMeta",
    "KibRow",
    "looks_like_formula",
    "render_kib_xlsx",
    "write_kib_xlsx",
]


@dataclass(frozen=True)
class KibMeta:
    kode_lokasi: str  # region code of the export, "" for the whole installation
    nama_upb: str  # e.g. "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"
    printed_on: date
    filter_note: str = ""
    pemerintah: str = ""  # kop: "PEMERINTAH KABUPATEN BONDOWOSO"
    kop_address: str = ""  # kop: address and contact line
    place: str = ""  # town before the date of the signature
    signatory: Signatory | None = None  # the official who signs the KIB (`kib`)
    signer_caption: str = "Kepala Dinas"


@dataclass(frozen=True)
class KibRow:
    kode_barang: str
    name: str
    register_no: str
    brand_model: str | None
    serial_number: str | None
    acquired_on: date
    acquisition_method: str  # label, e.g. "Pembelian"
    unit_price: int
    notes: str | None
    category: str  # label
    condition: str  # label
    status: str  # label
    region_code: str
    region_name: str
    funding_source: str  # label
    contract_no: str | None
    vendor: str | None
    bast_no: str | None
    bast_date: date | None
    custodian: str | None
    ukuran_cc: str | None = None
    bahan: str | None = None


# (header, width). The first twelve are the classic KIB B columns (Permendagri 17/2007 form,
# still used by SIMBADA-style registers); the rest are what this register adds.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("No. Urut", 8),
    ("Kode Barang", 20),
    ("Nama/Jenis Barang", 34),
    ("Nomor Register", 10),
    ("Merk/Type", 22),
    ("Ukuran/CC", 10),
    ("Bahan", 10),
    ("Tahun Pembelian", 10),
    ("Nomor Pabrik/Seri", 20),
    ("Asal-usul/Cara Perolehan", 16),
    ("Harga (Rp)", 18),
    ("Keterangan", 30),
    ("Kategori", 16),
    ("Kondisi", 12),
    ("Status", 16),
    ("Kode Wilayah", 12),
    ("Lokasi", 24),
    ("Sumber Dana", 10),
    ("Tanggal Perolehan", 13),
    ("Nomor Kontrak/SPK", 22),
    ("Penyedia", 24),
    ("Nomor BAST", 22),
    ("Tanggal BAST", 13),
    ("Pemegang", 22),
)
HEADER_ROW = 6
PRICE_COL = 11  # 1-based


class _Cells:
    """Shared style objects (one per kind) so a large export does not allocate styles per cell."""

    def __init__(self, ws):
        self.ws = ws
        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=13)
        self.head_fill = PatternFill("solid", fgColor="DDE5F0")
        thin = Side(style="thin", color="808080")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def text(self, value):
        value = printable(value)  # a row stored before input was checked
        if value is None or value == "":
            return None
        if isinstance(value, str) and looks_like_formula(value):
            return text_cell(self.ws, value)  # never a formula: quote prefix
        return value

    def money(self, value: int, bold: bool = False):
        cell = WriteOnlyCell(self.ws, value=int(value))
        cell.number_format = RUPIAH_FORMAT
        if bold:
            cell.font = self.bold
        return cell

    def day(self, value: date | None):
        if value is None:
            return None
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def header(self, value: str):
        cell = WriteOnlyCell(self.ws, value=value)
        cell.font = self.bold
        cell.fill = self.head_fill
        cell.border = self.box
        cell.alignment = self.wrap
        return cell

    def strong(self, value, font=None):
        cell = WriteOnlyCell(self.ws, value=value)
        cell.font = font or self.bold
        return cell


def print_setup(ws, header_rows: str, *, landscape: bool = True) -> None:
    """A4, fit to the page width, the header rows ("6:6") repeated on every printed page, page
    numbers in the footer (`reports._xlsx.print_ready`)."""
    first, _, last = header_rows.partition(":")
    print_ready(ws, columns=99, title_rows=(int(first), int(last or first)), landscape=landscape)


def write_kib_xlsx(meta: KibMeta, rows: Iterable[KibRow], out) -> tuple[int, int]:
    """Writes the workbook to the binary file object `out`; returns (rows, total value)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("KIB B")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # header rows and No./Kode/Nama stay in view
    # 24 columns: landscape, one page wide, the column header repeated on every page.
    print_ready(ws, columns=len(COLUMNS), title_rows=(HEADER_ROW, HEADER_ROW), landscape=True)
    c = _Cells(ws)
    ws.append([c.strong("KARTU INVENTARIS BARANG (KIB) B", c.title)])
    ws.append([c.strong("PERALATAN DAN MESIN")])
    ws.append(
        ["No. Kode Lokasi", c.text(meta.kode_lokasi or "Seluruh wilayah"), c.text(meta.pemerintah)]
    )
    ws.append(["Nama UPB/SKPD", c.text(meta.nama_upb), c.text(meta.kop_address)])
    ws.append(
        [
            "Per tanggal",
            c.day(meta.printed_on),
            c.text(meta.filter_note) if meta.filter_note else None,
        ]
    )
    ws.append([c.header(h) for h, _ in COLUMNS])
    count = 0
    total = 0
    for count, r in enumerate(rows, start=1):  # noqa: B007 (count is used after the loop)
        total += int(r.unit_price)
        ws.append(
            [
                count,
                c.text(r.kode_barang),
                c.text(r.name),
                c.text(r.register_no),
                c.text(r.brand_model) or c.text("-"),
                c.text(r.ukuran_cc) or c.text("-"),  # a lone dash is text too (quote prefix)
                c.text(r.bahan) or c.text("-"),
                r.acquired_on.year,
                c.text(r.serial_number),
                c.text(r.acquisition_method),
                c.money(r.unit_price),
                c.text(r.notes),
                c.text(r.category),
                c.text(r.condition),
                c.text(r.status),
                c.text(r.region_code),
                c.text(r.region_name),
                c.text(r.funding_source),
                c.day(r.acquired_on),
                c.text(r.contract_no),
                c.text(r.vendor),
                c.text(r.bast_no),
                c.day(r.bast_date),
                c.text(r.custodian),
            ]
        )
    last = HEADER_ROW + count
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(last, HEADER_ROW)}"
    total_row = [None] * len(COLUMNS)
    total_row[2] = c.strong(f"Jumlah ({count} barang)")
    total_row[PRICE_COL - 1] = c.money(total, bold=True)
    ws.append(total_row)
    _signature_sheet(wb, meta)
    wb.save(out)
    return count, total


def _signature_sheet(wb, meta: KibMeta) -> None:
    """Sheet "Pengesahan": the kop, what the KIB covers, and the signature of the official
    who signs the KIB (`kib`): place and date, position, room to sign, name, rank, NIP; or
    that none is set. A sheet of its own, so the KIB sheet ends with its total row."""
    from reports._format import tanggal
    from reports._kop import NOT_SET

    ws = wb.create_sheet("Pengesahan")
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 48
    print_ready(ws, columns=2, title_rows=None)
    c = _Cells(ws)
    for line in (meta.pemerintah, meta.nama_upb, meta.kop_address):
        if line:
            ws.append([c.strong(c.text(line))])
    ws.append([])
    ws.append(["Kartu Inventaris Barang (KIB) B — Peralatan dan Mesin"])
    ws.append(
        [
            c.text(
                f"Kode lokasi {meta.kode_lokasi or 'seluruh wilayah'}, per {tanggal(meta.printed_on)}"
            )
        ]
    )
    ws.append([])
    sig = meta.signatory
    place = f"{meta.place}, " if meta.place else ""
    lines: list = [f"{place}{tanggal(meta.printed_on)}"]
    if sig is None:
        lines += [meta.signer_caption, None, NOT_SET]
    else:
        lines += ([sig.line] if sig.line else []) + [sig.position, None, None, None]
        lines += [c.strong(c.text(sig.name)), sig.rank or None]
        lines.append(f"NIP. {sig.nip}" if sig.nip else None)
    for line in lines:
        ws.append([None, c.text(line) if isinstance(line, str) else line])


def render_kib_xlsx(meta: KibMeta, rows: Iterable[KibRow]) -> bytes:
    buf = io.BytesIO()
    write_kib_xlsx(meta, rows, buf)
    return buf.getvalue()

"""The register in the layouts Pemda already keep (pure: plain rows in, bytes out).

- `kib`: the classic 16-column KIB B card (Permendagri 17/2007 form) with its header block
  (KARTU INVENTARIS BARANG (KIB) B PERALATAN DAN MESIN, provinsi, kab/kota, SKPD) and the
  signature block (Pengurus Barang, Kepala SKPD with NIP);
- `ebmd`: the e-BMD item sheet (one row per item, with its NIBAR);
- `simda`: CSV with the SIMDA BMD `Ta_KIB_B` columns, the Permendagri 108 code split into
  `Kd_Aset8`, `Kd_Aset80` … `Kd_Aset85`.

Every XLSX: A4, fit to width, header rows repeated, autofilter over the rows (not the total),
text that looks like a formula written as quote-prefixed text (`kib_xlsx._Cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports._format import printable
from reports.kib_xlsx import _Cells, looks_like_formula, print_setup


@dataclass(frozen=True)
class Signatory:
    role: str  # "Pengurus Barang", "Kepala SKPD"
    name: str
    nip: str
    position: str = ""


@dataclass(frozen=True)
class RegisterHeader:
    provinsi: str
    kabkota: str
    skpd: str
    printed_on: date
    place: str = ""  # the city in "Bondowoso, 1 Desember 2026"
    date_label: str = ""  # "1 Desember 2026"
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class RegisterRow:
    """One register row with raw codes (the importers read them back)."""

    region_code: str
    kode_barang: str
    register_no: str
    name: str
    category: str
    brand_model: str | None
    serial_number: str | None
    acquired_on: date
    funding_source: str
    acquisition_method: str
    acquisition_label: str
    unit_price: int
    condition: str
    notes: str | None
    nibar: str | None
    ukuran_cc: str | None
    bahan: str | None


# --- classic KIB B -------------------------------------------------------------------------

KIB_COLUMNS: tuple[tuple[str, float], ...] = (
    ("No. Urut", 7),
    ("Kode Barang", 20),
    ("Nama/Jenis Barang", 30),
    ("Nomor Register", 10),
    ("Merk/Type", 22),
    ("Ukuran/CC", 10),
    ("Bahan", 10),
    ("Tahun Pembelian", 10),
    ("Nomor Pabrik", 18),
    ("Nomor Rangka", 12),
    ("Nomor Mesin", 12),
    ("Nomor Polisi", 12),
    ("Nomor BPKB", 12),
    ("Asal-usul/Cara Perolehan", 16),
    ("Harga (Rp)", 18),
    ("Keterangan", 28),
)
KIB_HEADER_ROW = 7
KIB_PRICE_COL = 15


def render_kib_classic(head: RegisterHeader, rows: Iterable[RegisterRow]) -> bytes:
    buf = io.BytesIO()
    write_kib_classic(head, rows, buf)
    return buf.getvalue()


def write_kib_classic(head: RegisterHeader, rows: Iterable[RegisterRow], out) -> None:
    """`render_kib_classic` into the binary file object `out` (a big export streams to disk)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("KIB B")
    for i, (_, width) in enumerate(KIB_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{KIB_HEADER_ROW + 1}"
    print_setup(ws, f"{KIB_HEADER_ROW}:{KIB_HEADER_ROW}")
    c = _Cells(ws)
    ws.append([c.strong("KARTU INVENTARIS BARANG (KIB) B", c.title)])
    ws.append([c.strong("PERALATAN DAN MESIN")])
    ws.append(["Provinsi", c.text(head.provinsi)])
    ws.append(["Kabupaten/Kota", c.text(head.kabkota)])
    ws.append(["SKPD", c.text(head.skpd)])
    ws.append(["Per tanggal", c.day(head.printed_on)])
    ws.append([c.header(h) for h, _ in KIB_COLUMNS])
    count = total = 0
    for count, r in enumerate(rows, start=1):  # noqa: B007 (count is used after the loop)
        total += int(r.unit_price)
        ws.append(
            [
                count,
                c.text(r.kode_barang),
                c.text(r.name),
                c.text(r.register_no),
                c.text(r.brand_model) or "-",
                c.text(r.ukuran_cc) or "-",
                c.text(r.bahan) or "-",
                r.acquired_on.year,
                c.text(r.serial_number) or "-",
                "-",
                "-",
                "-",
                "-",
                c.text(r.acquisition_label),
                c.money(r.unit_price),
                c.text(r.notes),
            ]
        )
    last = KIB_HEADER_ROW + count
    ncol = get_column_letter(len(KIB_COLUMNS))
    ws.auto_filter.ref = f"A{KIB_HEADER_ROW}:{ncol}{max(last, KIB_HEADER_ROW)}"
    total_row: list = [None] * len(KIB_COLUMNS)
    total_row[2] = c.strong(f"Jumlah ({count} barang)")
    total_row[KIB_PRICE_COL - 1] = c.money(total, bold=True)
    ws.append(total_row)
    ws.append([])
    _signature_block(ws, c, head)
    wb.save(out)


def _signature_block(ws, c, head: RegisterHeader) -> None:
    """Mengetahui (Kepala SKPD) on the left, the Pengurus Barang on the right, NIP below."""
    left, right = 2, 13  # columns B and M
    signers = {s.role: s for s in head.signatories}
    pairs = [signers.get("Kepala SKPD"), signers.get("Pengurus Barang")]

    def line(a, b):
        row: list = [None] * len(KIB_COLUMNS)
        row[left - 1], row[right - 1] = a, b
        ws.append(row)

    line(None, c.text(f"{head.place}, {head.date_label}".strip(", ")))
    line("Mengetahui,", None)
    line(*(c.text((s.position or s.role) if s else "") for s in pairs))
    for _ in range(3):
        ws.append([])
    line(
        *(c.strong(printable(s.name) or "(........................)") if s else None for s in pairs)
    )
    line(*(c.text(f"NIP {s.nip}" if s and s.nip else "NIP ") for s in pairs))


# --- e-BMD ---------------------------------------------------------------------------------

EBMD_COLUMNS: tuple[str, ...] = (
    "nibar",
    "nomor_register",
    "kode_barang",
    "nama_barang",
    "spesifikasi_nama_barang",
    "spesifikasi_lainnya",
    "jumlah",
    "satuan",
    "lokasi",
    "harga_satuan",
    "tanggal_perolehan",
    "cara_perolehan",
    "sumber_dana",
    "kondisi",
    "kategori",
    "nomor_seri",
    "ukuran_cc",
    "bahan",
)


def render_ebmd(rows: Iterable[RegisterRow]) -> bytes:
    buf = io.BytesIO()
    write_ebmd(rows, buf)
    return buf.getvalue()


def write_ebmd(rows: Iterable[RegisterRow], out) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("KIB B")
    for i, name in enumerate(EBMD_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 2)
    ws.freeze_panes = "A2"
    print_setup(ws, "1:1")
    c = _Cells(ws)
    ws.append([c.header(h) for h in EBMD_COLUMNS])
    count = 0
    for count, r in enumerate(rows, start=1):  # noqa: B007
        ws.append(
            [
                c.text(r.nibar),
                c.text(r.register_no),
                c.text(r.kode_barang),
                c.text(r.name),
                c.text(r.brand_model),
                c.text(r.notes),
                1,
                "Unit",
                c.text(r.region_code),
                c.money(r.unit_price),
                c.day(r.acquired_on),
                c.text(r.acquisition_method),
                c.text(r.funding_source),
                c.text(r.condition),
                c.text(r.category),
                c.text(r.serial_number),
                c.text(r.ukuran_cc),
                c.text(r.bahan),
            ]
        )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(EBMD_COLUMNS))}{count + 1}"
    wb.save(out)


# --- SIMDA BMD -----------------------------------------------------------------------------

SIMDA_COLUMNS: tuple[str, ...] = (
    "Kd_Prov",
    "Kd_Kab_Kota",
    "Kd_Aset8",
    "Kd_Aset80",
    "Kd_Aset81",
    "Kd_Aset82",
    "Kd_Aset83",
    "Kd_Aset84",
    "Kd_Aset85",
    "No_Reg8",
    "Tgl_Perolehan",
    "Merk",
    "Type",
    "CC",
    "Bahan",
    "Nomor_Pabrik",
    "Asal_usul",
    "Kondisi",
    "Harga",
    "Keterangan",
    # what this register adds, so an import gives the same rows back
    "Kd_Lokasi",
    "Nm_Aset",
    "Kategori",
    "Sumber_Dana",
    "NIBAR",
)
SIMDA_CONDITION = {"B": 1, "KB": 2, "RB": 3}


def split_108(kode: str) -> tuple[int, ...]:
    """1.3.2.10.01.02.001 → (1, 3, 2, 10, 1, 2, 1): Kd_Aset8, Kd_Aset80 … Kd_Aset85."""
    return tuple(int(p) for p in kode.split("."))


def _code_parts(kode: str) -> tuple:
    """The 7 parts of a well-formed code; an old malformed one goes whole into Kd_Aset8."""
    parts = kode.split(".")
    if len(parts) == 7 and all(p.isdigit() for p in parts):
        return split_108(kode)
    return (_csv_text(kode), "", "", "", "", "", "")


def _csv_text(value) -> str:
    text = printable(value) or ""
    return "'" + text if isinstance(text, str) and looks_like_formula(text) else text


def render_simda(rows: Iterable[RegisterRow]) -> bytes:
    buf = io.BytesIO()
    write_simda(rows, buf)
    return buf.getvalue()


def write_simda(rows: Iterable[RegisterRow], binary) -> None:
    """The CSV (UTF-8 with BOM, CRLF) into the binary file object `binary`, row by row."""
    buf = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", write_through=True)
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(SIMDA_COLUMNS)
    for r in rows:
        parts = r.region_code.split(".")
        out.writerow(
            [
                int(parts[0]),
                int(parts[1]) if len(parts) > 1 else "",
                *_code_parts(r.kode_barang),
                int(r.register_no) if r.register_no.isdigit() else _csv_text(r.register_no),
                r.acquired_on.isoformat(),
                _csv_text(r.brand_model),
                "",
                _csv_text(r.ukuran_cc),
                _csv_text(r.bahan),
                _csv_text(r.serial_number),
                _csv_text(r.acquisition_method),
                SIMDA_CONDITION.get(r.condition, ""),
                int(r.unit_price),
                _csv_text(r.notes),
                r.region_code,
                _csv_text(r.name),
                r.category,
                r.funding_source,
                _csv_text(r.nibar),
            ]
        )
    buf.flush()
    buf.detach()  # leaves `binary` open for the caller

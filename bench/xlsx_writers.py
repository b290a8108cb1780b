"""The big register export's writer, side by side with the alternatives (issue 19).

    .venv/bin/python bench/xlsx_writers.py [--rows 50000] [--extrapolate 145555]

Each writer runs in its own subprocess on the same generated rows (a national-like register:
24 columns, typed dates and Rupiah, a few formula-looking texts) and reports CPU (user + sys),
wall time and peak RSS (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) of that process, CPU
minus the cost of generating the rows alone (the `rows only` line), so it is the writer's.

- `app`: `reports.kib_xlsx.write_kib_xlsx`, the path `/aset/ekspor` and `flask assets export`
  take (header block, styled header, quote-prefixed text, number formats, total row,
  Pengesahan sheet);
- `openpyxl`: bare `Workbook(write_only=True)`, `ws.append(values)`, no styles at all;
- `xlsxwriter`: `xlsxwriter.Workbook(constant_memory=True)` writing the app's content (same
  header, formats, quote prefix, total row), so its number is what adopting it would give.

Measured here (2 shared cores, 50,000 rows, lxml installed; CPU net of row generation):

| writer | CPU s | wall s | µs CPU/row | CPU s @145,555 | peak RSS MiB |
|---|---|---|---|---|---|
| app (openpyxl write-only, styled) | 8.6 | 9.2 | 172 | 25 | 47 |
| bare openpyxl write-only | 6.7 | 7.3 | 133 | 19 | 43 |
| xlsxwriter constant_memory | 5.7 | 6.4 | 114 | 17 | 46 |

(43 MiB is the interpreter + openpyxl with the generated rows, before any writing.) Choice:
keep openpyxl. xlsxwriter saves about a third of the CPU but not memory (46 vs 47 MiB, all
three are flat), and the export now runs as a background job, so a user does not wait on it
at the page; a second writer would double the code that must keep the formats identical.

xlsxwriter is not a dependency of the app: `pip install xlsxwriter` to include it (skipped
with a note otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WRITERS = ("rows", "app", "openpyxl", "xlsxwriter")


def make_rows(n: int, seed: int = 19):
    """`n` KibRow-like rows, as the register of a nation would hold them."""
    from reports.kib_xlsx import KibRow

    rnd = random.Random(seed)
    kodes = ("1.3.2.10.01.02.001", "1.3.2.10.01.02.002", "1.3.2.10.02.03.003", "1.3.2.05.01.05.068")
    names = ("PC Unit perekaman", "Laptop", "Printer kartu Fargo", "Alat sidik jari")
    start = date(2012, 1, 1)
    for i in range(n):
        k = i % len(kodes)
        acquired = start + timedelta(days=rnd.randrange(5000))
        yield KibRow(
            kode_barang=kodes[k],
            name=names[k],
            register_no=f"{i % 9999 + 1:04d}",
            brand_model="HP ProDesk 400 G7" if k == 0 else "Fargo HDP5000",
            serial_number=f"SN{rnd.randrange(10**9):09d}",
            acquired_on=acquired,
            acquisition_method="Pembelian",
            unit_price=rnd.randrange(2_000_000, 60_000_000),
            notes="-rusak ringan" if i % 97 == 0 else ("Paket rekam 2019" if i % 3 else None),
            category="Perekaman",
            condition="Baik",
            status="Operasional",
            region_code=f"{11 + i % 24}.{i % 30 + 1:02d}.{i % 20 + 1:02d}",
            region_name=f"Kecamatan Nomor {i % 7285}",
            funding_source="APBD",
            contract_no=f"027/{i}/SPK/2019",
            vendor="CV Maju Jaya",
            bast_no=f"BAST/{i}/2019",
            bast_date=acquired + timedelta(days=7),
            custodian="Operator kecamatan",
        )


def _meta():
    from reports._kop import Signatory
    from reports.kib_xlsx import KibMeta

    return KibMeta(
        kode_lokasi="",
        nama_upb="Dinas Kependudukan dan Pencatatan Sipil",
        printed_on=date(2026, 12, 2),
        signatory=Signatory(name="Nama Kepala", nip="197001011990031001", position="Kepala Dinas"),
    )


def write_app(rows, out) -> None:
    from reports.kib_xlsx import write_kib_xlsx

    write_kib_xlsx(_meta(), rows, out)


def _values(r, n):
    return [
        n,
        r.kode_barang,
        r.name,
        r.register_no,
        r.brand_model or "-",
        r.ukuran_cc or "-",
        r.bahan or "-",
        r.acquired_on.year,
        r.serial_number,
        r.acquisition_method,
        r.unit_price,
        r.notes,
        r.category,
        r.condition,
        r.status,
        r.region_code,
        r.region_name,
        r.funding_source,
        r.acquired_on,
        r.contract_no,
        r.vendor,
        r.bast_no,
        r.bast_date,
        r.custodian,
    ]


def write_openpyxl(rows, out) -> None:
    from openpyxl import Workbook

    from reports.kib_xlsx import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("KIB B")
    ws.append([h for h, _ in COLUMNS])
    for n, r in enumerate(rows, start=1):
        ws.append(_values(r, n))
    wb.save(out)


def write_xlsxwriter(rows, out) -> None:
    """The app's sheet (as `write_kib_xlsx` lays it out) with xlsxwriter's row-at-a-time
    mode: formats are shared objects, dates and money typed, formula-looking text written as
    a string with the quote prefix."""
    import xlsxwriter

    from reports._xlsx import looks_like_formula
    from reports.kib_xlsx import COLUMNS, DATE_FORMAT, HEADER_ROW, RUPIAH_FORMAT

    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("KIB B")
    money = wb.add_format({"num_format": RUPIAH_FORMAT})
    day = wb.add_format({"num_format": DATE_FORMAT})
    quoted = wb.add_format({"quote_prefix": True})
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "align": "center"}
    )
    for i, (_, width) in enumerate(COLUMNS):
        ws.set_column(i, i, width)
    ws.freeze_panes(HEADER_ROW, 3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.write_string(0, 0, "KARTU INVENTARIS BARANG (KIB) B")
    ws.write_string(1, 0, "PERALATAN DAN MESIN")
    for c, (h, _) in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW - 1, c, h, head)
    total = 0
    row = HEADER_ROW - 1
    for n, r in enumerate(rows, start=1):
        row = HEADER_ROW - 1 + n
        total += r.unit_price
        for c, v in enumerate(_values(r, n)):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(row, c, v, quoted if looks_like_formula(v) else None)
            elif isinstance(v, date):
                ws.write_datetime(row, c, v, day)
            elif c == 10:
                ws.write_number(row, c, v, money)
            else:
                ws.write_number(row, c, v)
    ws.autofilter(HEADER_ROW - 1, 0, row, len(COLUMNS) - 1)
    ws.write_number(row + 1, 10, total, money)
    wb.add_worksheet("Pengesahan").write_string(0, 0, "Pengesahan")
    wb.close()


def child(writer: str, n: int) -> dict:
    rows = make_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.xlsx")
        t0, c0 = time.perf_counter(), time.process_time()
        if writer == "rows":
            for _ in rows:
                pass
        elif writer == "app":
            with open(out, "wb") as fh:
                write_app(rows, fh)
        elif writer == "openpyxl":
            write_openpyxl(rows, out)
        elif writer == "xlsxwriter":
            write_xlsxwriter(rows, out)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = os.path.getsize(out) if os.path.exists(out) else 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"writer": writer, "wall": wall, "cpu": cpu, "peak_mib": peak, "bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--extrapolate", type=int, default=145_555)
    ap.add_argument("--child", choices=WRITERS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows)))
        return
    try:
        import xlsxwriter  # noqa: F401

        writers = WRITERS
    except ImportError:
        writers = WRITERS[:-1]
        print("(xlsxwriter tidak terpasang: pip install xlsxwriter untuk membandingkannya)")
    print(
        f"{args.rows:,} rows, each writer in its own process; extrapolated to {args.extrapolate:,}"
    )
    results = {}
    for w in writers:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", w, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[w] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"  {w}: done in {results[w]['wall']:.1f} s", flush=True)
    base = results["rows"]
    print()
    print(
        f"| writer | CPU s | wall s | µs CPU/row | CPU s @{args.extrapolate:,} | peak RSS MiB "
        "| file MiB |"
    )
    print("|---|---|---|---|---|---|---|")
    for w in writers[1:]:
        r = results[w]
        cpu = r["cpu"] - base["cpu"]
        wall = r["wall"]
        per_row = cpu / args.rows * 1e6
        print(
            f"| {w} | {cpu:.1f} | {wall:.1f} | {per_row:.0f} | {per_row * args.extrapolate / 1e6:.0f} "
            f"| {r['peak_mib']:.0f} | {r['bytes'] / 2**20:.1f} |"
        )
    print(
        f"\n(rows only: {base['cpu']:.1f} s CPU, {base['peak_mib']:.0f} MiB peak; subtracted above "
        "from CPU only; wall is the whole run on a shared machine)"
    )


if __name__ == "__main__":
    main()

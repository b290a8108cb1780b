"""XLSX import: all rows or none, every problem as `Baris N, kolom X: pesan`."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, timedelta

import pytest

from assets_app.assets import importer
from assets_app.assets.fields import HEADERS
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.audit.models import AuditLog
from tests.assets.helpers import make_asset
from tests.assets.xlsx import asset_row, workbook_bytes


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def fails(db, data, user, *expected):
    before = (count(db, Asset), count(db, StatusEvent), count(db, AuditLog))
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_assets(data, user)
    db.session.rollback()
    for text in expected:
        assert any(text in m for m in exc.value.messages), (text, exc.value.messages)
    assert (count(db, Asset), count(db, StatusEvent), count(db, AuditLog)) == before
    return exc.value.messages


def without(header):
    return [h for h in HEADERS if h != header]


def test_clean_file_imports_everything_with_events_and_audit(db, users):
    rows = [
        asset_row(1),
        asset_row(
            2,
            **{
                "Kategori": "Cetak KK",
                "Kondisi": "baik",
                "Nomor Register": 2.0,
                "Kode Barang": "1.3.2.10.02.03.003",
                "Harga Satuan (Rp)": "Rp 4.150.000",
            },
        ),
        asset_row(
            3,
            **{
                "Kode Wilayah": "35.11.06",
                "Tanggal Perolehan": "18/11/2019",
                "Tanggal BAST": "2019-11-20",
                "Sumber Dana": "apbn",
            },
        ),
    ]
    result = importer.import_assets(workbook_bytes(rows), users["petugas"])
    db.session.commit()
    assert (result.count, result.created) == (3, 3)
    assert result.value == 14_750_000 * 2 + 4_150_000
    assets = {a.register_no + a.region_code: a for a in db.session.scalars(db.select(Asset))}
    printer = assets["000235.11.05"]
    assert (printer.category, printer.condition, printer.unit_price) == ("cetak_kk", "B", 4_150_000)
    assert assets["000335.11.06"].funding_source == "APBN"
    assert assets["000335.11.06"].bast_date == date(2019, 11, 20)
    assert count(db, StatusEvent) == 3
    audit = db.session.scalars(db.select(AuditLog).where(AuditLog.entity == "assets")).all()
    assert (
        len(audit) == 3 and audit[0].actor == "petugas" and audit[0].user_id == users["petugas"].id
    )


def test_blank_rows_are_skipped_and_row_numbers_are_spreadsheet_rows(db, users):
    data = workbook_bytes([asset_row(1), [None] * len(HEADERS), asset_row(2, **{"Kategori": "x"})])
    messages = fails(db, data, users["petugas"])
    assert messages[0].startswith("Baris 4, kolom Kategori: Nilai 'x' tidak dikenal.")


BAD_ROWS = [
    (
        "unknown region",
        {"Kode Wilayah": "99.99.99"},
        "Baris 2, kolom Kode Wilayah: Kode wilayah 99.99.99 tidak dikenal.",
    ),
    (
        "region out of scope",
        {"Kode Wilayah": "36.73.05"},
        "Baris 2, kolom Kode Wilayah: Wilayah 36.73.05 di luar cakupan wilayah Anda.",
    ),
    (
        "region wrong level",
        {"Kode Wilayah": "35.11.05.2001"},
        "Baris 2, kolom Kode Wilayah: Wilayah 35.11.05.2001 (Alas Sumur) harus setingkat",
    ),
    (
        "region typed as a number",
        {"Kode Wilayah": 35.11},
        "Baris 2, kolom Kode Wilayah: Kode wilayah terbaca sebagai angka",
    ),
    (
        "bad date",
        {"Tanggal Perolehan": "31/02/2019"},
        "Baris 2, kolom Tanggal Perolehan: Tanggal tidak valid: '31/02/2019'.",
    ),
    (
        "future date",
        {"Tanggal Perolehan": date.today() + timedelta(days=3), "Tanggal BAST": None},
        "Baris 2, kolom Tanggal Perolehan: Tanggal perolehan tidak boleh di masa depan.",
    ),
    (
        "negative price",
        {"Harga Satuan (Rp)": -5000},
        "Baris 2, kolom Harga Satuan (Rp): Harga satuan tidak boleh negatif.",
    ),
    (
        "text price",
        {"Harga Satuan (Rp)": "dua juta"},
        "Baris 2, kolom Harga Satuan (Rp): Harus berupa bilangan bulat",
    ),
    (
        "fractional price",
        {"Harga Satuan (Rp)": 1500000.5},
        "Baris 2, kolom Harga Satuan (Rp): Harus bilangan bulat tanpa pecahan",
    ),
    (
        "unknown category",
        {"Kategori": "printer"},
        "Baris 2, kolom Kategori: Nilai 'printer' tidak dikenal.",
    ),
    ("unknown condition", {"Kondisi": "RR"}, "Baris 2, kolom Kondisi: Nilai 'RR' tidak dikenal."),
    (
        "unknown funding",
        {"Sumber Dana": "APBDes"},
        "Baris 2, kolom Sumber Dana: Nilai 'APBDes' tidak dikenal.",
    ),
    (
        "unknown acquisition method",
        {"Cara Perolehan": "sumbangan"},
        "Baris 2, kolom Cara Perolehan: Nilai 'sumbangan' tidak dikenal.",
    ),
    ("empty required cell", {"Nama Barang": None}, "Baris 2, kolom Nama Barang: Wajib diisi."),
    ("empty price", {"Harga Satuan (Rp)": "  "}, "Baris 2, kolom Harga Satuan (Rp): Wajib diisi."),
    (
        "bad kode barang",
        {"Kode Barang": "1.3.2.10.1.2.1"},
        "Baris 2, kolom Kode Barang: Kode barang '1.3.2.10.1.2.1' tidak sesuai format KIB B",
    ),
    (
        "BAST before acquisition",
        {"Tanggal BAST": date(2019, 1, 1)},
        "Baris 2, kolom Tanggal BAST: Tanggal BAST tidak boleh sebelum tanggal perolehan.",
    ),
    (
        "text too long",
        {"Nama Barang": "x" * 250},
        "Baris 2, kolom Nama Barang: Terlalu panjang: maksimal 200 karakter (terisi 250).",
    ),
    (
        "register not a number",
        {"Nomor Register": "A-01"},
        "Baris 2, kolom Nomor Register: Nomor register harus berupa angka 1–6 digit",
    ),
    (
        "date in a price column",
        {"Harga Satuan (Rp)": date(2020, 1, 1)},
        "Baris 2, kolom Harga Satuan (Rp): Harus berupa angka, bukan tanggal.",
    ),
]


@pytest.mark.parametrize(("case", "override", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_row_imports_nothing(db, users, case, override, message):
    data = workbook_bytes([asset_row(1), asset_row(2, **override)][::-1])
    messages = fails(db, data, users["petugas"], message)
    assert len(messages) == 1
    assert count(db, Asset) == 0 and count(db, StatusEvent) == 0


def test_duplicate_register_in_file_and_against_database(db, users):
    make_asset(
        users["petugas"],
        register_no="0005",
        region_code="35.11.06",
        kode_barang="1.3.2.10.01.02.001",
    )
    before = count(db, Asset)
    data = workbook_bytes(
        [
            asset_row(1),
            asset_row(2),
            asset_row(1, **{"Nomor Register": "1"}),
            asset_row(5, **{"Kode Wilayah": "35.11.06"}),
        ]
    )
    messages = fails(db, data, users["petugas"])
    assert messages == [
        "Baris 4, kolom Nomor Register: Nomor register 0001 untuk kode barang "
        "1.3.2.10.01.02.001 di wilayah 35.11.05 sudah dipakai di baris 2.",
        "Baris 5, kolom Nomor Register: Nomor register 0005 sudah dipakai untuk kode barang "
        "1.3.2.10.01.02.001 di wilayah 35.11.06.",
    ]
    assert count(db, Asset) == before


def test_every_problem_of_every_row_is_listed_in_order(db, users):
    data = workbook_bytes(
        [
            asset_row(1, **{"Kategori": "x", "Harga Satuan (Rp)": -1}),
            asset_row(2),
            asset_row(3, **{"Kode Wilayah": "99"}),
        ]
    )
    messages = fails(db, data, users["petugas"])
    assert [m.split(":")[0] for m in messages] == [
        "Baris 2, kolom Kategori",
        "Baris 2, kolom Harga Satuan (Rp)",
        "Baris 4, kolom Kode Wilayah",
    ]


@pytest.mark.parametrize(
    ("case", "headers", "message"),
    [
        (
            "missing column",
            without("Harga Satuan (Rp)"),
            "Baris 1, kolom Harga Satuan (Rp): kolom wajib tidak ada di baris judul.",
        ),
        (
            "unknown column",
            [*without("Harga Satuan (Rp)"), "Harga"],
            "Baris 1, kolom Harga: judul kolom tidak dikenal.",
        ),
        (
            "duplicate column",
            [*HEADERS, "Nama Barang"],
            "Baris 1, kolom Nama Barang: judul kolom ganda.",
        ),
    ],
)
def test_header_problems(db, users, case, headers, message):
    row = asset_row(1)
    data = workbook_bytes([row[: len(headers)]], headers=headers)
    fails(db, data, users["petugas"], message)


def test_optional_columns_may_be_left_out_and_order_is_free(db, users):
    headers = list(reversed([h for h in HEADERS if h not in ("Keterangan", "Pemegang")]))
    full = dict(zip(HEADERS, asset_row(1), strict=True))
    data = workbook_bytes([[full[h] for h in headers]], headers=headers)
    assert importer.import_assets(data, users["petugas"]).created == 1


def _csv():
    return b"Kode Wilayah;Kode Barang\n35.11.05;1.3.2.10.01.02.001\n"


def _zip_not_xlsx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "bukan excel")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("case", "make", "message"),
    [
        ("empty file", lambda: b"", "Berkas kosong (0 byte)."),
        ("csv, not an xlsx", _csv, "Berkas bukan XLSX (Excel 2007 ke atas)."),
        ("pdf renamed .xlsx", lambda: b"%PDF-1.7\n...", "Berkas bukan XLSX"),
        (
            "old .xls",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "Berkas berformat .xls (Excel 97-2003).",
        ),
        ("zip that is no workbook", _zip_not_xlsx, "Berkas ZIP ini bukan lembar kerja XLSX."),
        (
            "truncated xlsx",
            lambda: workbook_bytes([asset_row(1)])[:900],
            "Berkas XLSX rusak atau tidak dapat dibaca.",
        ),
        ("empty sheet", lambda: workbook_bytes([], headers=None), "Lembar pertama kosong"),
        ("header only", lambda: workbook_bytes([]), "Tidak ada baris data"),
    ],
)
def test_bad_files(db, users, case, make, message):
    fails(db, make(), users["petugas"], message)


def test_file_size_and_row_limits(app, db, users):
    data = workbook_bytes([asset_row(n) for n in range(1, 8)])
    app.config["IMPORT_MAX_BYTES"] = len(data) - 1
    try:
        fails(db, data, users["petugas"], "Berkas terlalu besar")
    finally:
        app.config["IMPORT_MAX_BYTES"] = importer.DEFAULT_MAX_BYTES
    app.config["IMPORT_MAX_ROWS"] = 5
    try:
        fails(db, data, users["petugas"], "Terlalu banyak baris: lebih dari 5 baris data.")
    finally:
        app.config["IMPORT_MAX_ROWS"] = importer.DEFAULT_MAX_ROWS


def test_dry_run_writes_nothing(db, users):
    result = importer.import_assets(workbook_bytes([asset_row(1)]), users["petugas"], dry_run=True)
    db.session.commit()
    assert result.count == 1 and count(db, Asset) == 0


@pytest.mark.slow
def test_ten_thousand_rows_in_one_go(db, users):
    kecamatan = [f"35.11.{k:02d}" for k in range(1, 24)]
    rows = [
        asset_row(n, **{"Kode Wilayah": kecamatan[n % 23], "Nomor Register": str(n)})
        for n in range(1, 10_001)
    ]
    data = workbook_bytes(rows)
    started = time.perf_counter()
    result = importer.import_assets(data, users["admin"])
    db.session.commit()
    elapsed = time.perf_counter() - started
    assert result.created == 10_000
    assert count(db, Asset) == 10_000 and count(db, StatusEvent) == 10_000
    assert (
        db.session.scalar(db.select(db.func.count(AuditLog.id)).where(AuditLog.entity == "assets"))
        == 10_000
    )
    assert elapsed < 90, elapsed


# --- usage and coverage --------------------------------------------------------------------

USAGE_HEADERS = ["Kode Wilayah", "Tanggal", "Rekam", "Cetak KTP-el", "Cetak KK", "Ditolak", "Kuota"]
COVERAGE_HEADERS = ["Kode Wilayah", "Per Tanggal", "Wajib KTP-el", "Sudah Rekam"]


def test_usage_import_creates_and_corrects(db, users):
    from assets_app.assets import services

    services.record_usage(
        users["camat"], {"region_code": "35.11.05", "day": "2026-11-02", "rekam": 1}
    )
    db.session.commit()
    data = workbook_bytes(
        [
            ["35.11.05", date(2026, 11, 2), 30, 20, 10, 2, 60],
            ["35.11.05", "03/11/2026", 31, 21, 11, 0, None],
        ],
        headers=USAGE_HEADERS,
    )
    result = importer.import_usage(data, users["camat"], today=date(2026, 11, 23))
    db.session.commit()
    assert (result.created, result.updated) == (1, 1)
    rekam = dict(db.session.execute(db.select(UsageDay.day, UsageDay.rekam)).all())
    assert rekam == {date(2026, 11, 2): 30, date(2026, 11, 3): 31}


def test_usage_import_errors(db, users):
    data = workbook_bytes(
        [
            ["35.11.05", "2026-11-02", 30, 0, 0, 0, None],
            ["35.11.05", "2026-11-02", 1, 0, 0, 0, None],
            ["35.11.06", "2026-11-04", -1, 0, 0, 0, None],
        ],
        headers=USAGE_HEADERS,
    )
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_usage(data, users["camat"], today=date(2026, 11, 23))
    assert exc.value.messages == [
        "Baris 3, kolom Tanggal: Data untuk wilayah 35.11.05 tanggal 02/11/2026 sudah ada di baris 2.",
        "Baris 4, kolom Kode Wilayah: Wilayah 35.11.06 di luar cakupan wilayah Anda.",
        "Baris 4, kolom Rekam: Tidak boleh negatif.",
    ]
    assert count(db, UsageDay) == 0


def test_coverage_import(db, users):
    data = workbook_bytes(
        [
            ["35.11.05", date(2026, 6, 30), 31_000, 29_000],
            ["35.11.05.2001", date(2026, 6, 30), 3_000, 2_500],
        ],
        headers=COVERAGE_HEADERS,
    )
    result = importer.import_coverage(data, users["petugas"], today=date(2026, 11, 23))
    db.session.commit()
    assert result.created == 2 and count(db, CoverageSnapshot) == 2
    bad = workbook_bytes([["35.11.05", date(2026, 6, 30), 100, 200]], headers=COVERAGE_HEADERS)
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_coverage(bad, users["petugas"], today=date(2026, 11, 23))
    assert exc.value.messages == [
        "Baris 2, kolom Sudah Rekam: Sudah rekam tidak boleh melebihi wajib KTP-el."
    ]


def test_register_clashes_found_across_key_batches_in_bounded_queries(db, users):
    """2,500 rows (three batches of the existence check): clashes in the first and the last
    batch are both reported, a same kode/region with another register number is not, and the
    queries do not grow with the rows (no per-row look-up)."""
    from tests.querycount import count_queries

    make_asset(region_code="35.11.05", register_no="0007")
    make_asset(region_code="35.11.06", register_no="2400")
    make_asset(region_code="35.11.05", register_no="9999")  # same kode, not in the file
    rows = [
        asset_row(n, **{"Kode Wilayah": "35.11.06" if n >= 1500 else "35.11.05"})
        for n in range(1, 2501)
    ]
    with count_queries(db.engine) as statements:
        messages = fails(db, workbook_bytes(rows), users["petugas"])
    assert messages == [
        "Baris 8, kolom Nomor Register: Nomor register 0007 sudah dipakai untuk kode barang "
        "1.3.2.10.01.02.001 di wilayah 35.11.05.",
        "Baris 2401, kolom Nomor Register: Nomor register 2400 sudah dipakai untuk kode barang "
        "1.3.2.10.01.02.001 di wilayah 35.11.06.",
    ]
    assert len(statements) < 20, statements


def test_large_import_writes_every_asset_event_and_audit_row(db, users):
    rows = [asset_row(n) for n in range(1, 6001)]  # two insert chunks
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        db.session.execute(db.text("ANALYZE sqlite_schema"))  # makes sure sqlite_stat1 exists
        db.session.execute(db.text("DELETE FROM sqlite_stat1 WHERE tbl = 'assets'"))
    result = importer.import_assets(workbook_bytes(rows), users["petugas"])
    # A bulk load refreshes the planner statistics of the register in the same transaction.
    if sqlite:
        stat = db.session.scalar(db.text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'assets'"))
        assert stat is not None and int(stat.split()[0]) == 6000
    else:
        tuples = db.session.scalar(
            db.text("SELECT reltuples FROM pg_class WHERE relname = 'assets'")
        )
        assert tuples == 6000
    db.session.commit()
    assert result.created == 6000
    assert count(db, Asset) == count(db, StatusEvent) == 6000
    ids = set(db.session.scalars(db.select(Asset.id)))
    assert set(db.session.scalars(db.select(StatusEvent.asset_id))) == ids
    audited = db.session.scalars(
        db.select(AuditLog.entity_id).where(AuditLog.entity == "assets")
    ).all()
    assert sorted(int(i) for i in audited) == sorted(ids)

"""Formula cells are never imported: in any column, required or optional, the row is refused
with "berisi rumus; isi dengan nilai" and nothing of the file is written (issues 13 and 20)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assets_app.assets import importer
from assets_app.assets.fields import HEADERS
from assets_app.assets.models import Asset, StatusEvent, UsageDay
from assets_app.audit.models import AuditLog
from assets_app.common.timeutil import today_wib
from assets_app.training.importer import import_operators
from assets_app.training.models import Operator
from tests.assets.xlsx import asset_row, workbook_bytes
from tests.imports.xlsx_build import sheet_rows_of, with_sheet

FORMULA = "berisi rumus; isi dengan nilai"


def yesterday() -> str:
    return (today_wib() - timedelta(days=1)).strftime("%d/%m/%Y")


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def refused(db, data, user, *, dry_run=False):
    before = tuple(count(db, m) for m in (Asset, StatusEvent, AuditLog))
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_assets(data, user, dry_run=dry_run)
    db.session.rollback()
    assert tuple(count(db, m) for m in (Asset, StatusEvent, AuditLog)) == before
    return exc.value.messages


def test_formula_in_an_optional_column_refuses_the_row(db, users):
    data = workbook_bytes(
        [asset_row(1), asset_row(2, **{"Penyedia": '=CONCAT("CV ","Sinar")', "Keterangan": "=B3"})]
    )
    for dry_run in (True, False):
        assert refused(db, data, users["petugas"], dry_run=dry_run) == [
            f"Baris 3, kolom Penyedia: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
            f"Baris 3, kolom Keterangan: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
        ]


def test_formula_in_a_required_column_is_not_reported_as_missing(db, users):
    data = workbook_bytes([asset_row(1, **{"Nama Barang": "=A1", "Harga Satuan (Rp)": "=2*3"})])
    messages = refused(db, data, users["petugas"])
    assert messages == [
        f"Baris 2, kolom Nama Barang: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
        f"Baris 2, kolom Harga Satuan (Rp): {FORMULA} (salin lalu Tempel Spesial → Nilai).",
    ]
    assert not any("Wajib diisi" in m for m in messages)


def test_formula_in_a_column_without_header_is_named_by_its_letter(db, users):
    row = [*asset_row(1), None, "=1+1"]
    messages = refused(db, workbook_bytes([row]), users["petugas"])
    column = chr(ord("A") + len(HEADERS) + 1)
    assert messages == [f"Baris 2, kolom {column}: {FORMULA} (salin lalu Tempel Spesial → Nilai)."]


def test_formula_with_a_cached_value_is_still_refused(db, users):
    """What Excel saves: the formula and its last computed value; neither is imported."""
    base = workbook_bytes([asset_row(1)])
    rows = sheet_rows_of(base)
    penyedia = HEADERS.index("Penyedia")
    letter = chr(ord("A") + penyedia)
    cached = f'<c r="{letter}2" t="str"><f>UPPER("cv sinar")</f><v>CV SINAR</v></c>'.encode()
    start = rows.index(f'<c r="{letter}2"'.encode())
    end = rows.index(b"</c>", start) + len(b"</c>")
    data = with_sheet(base, [rows[:start] + cached + rows[end:]])
    assert refused(db, data, users["petugas"]) == [
        f"Baris 2, kolom Penyedia: {FORMULA} (salin lalu Tempel Spesial → Nilai)."
    ]


def test_formula_in_the_header_row(db, users):
    headers = [*HEADERS[:-1], '="Ket"&"erangan"']
    messages = refused(db, workbook_bytes([asset_row(1)[:-1]], headers=headers), users["petugas"])
    column = chr(ord("A") + len(HEADERS) - 1)
    assert messages == [
        f"Baris 1, kolom {column}: judul kolom berisi rumus; ketik judulnya sebagai teks."
    ]


def test_file_without_formulas_still_imports(db, users):
    result = importer.import_assets(workbook_bytes([asset_row(1), asset_row(2)]), users["petugas"])
    assert result.created == 2 and count(db, Asset) == 2
    assert {a.vendor for a in db.session.scalars(db.select(Asset))} == {"CV Sinar Data"}


def test_usage_import_refuses_a_formula_in_its_optional_column(db, users):
    headers = ["Kode Wilayah", "Tanggal", "Rekam", "Cetak KTP-el", "Cetak KK", "Ditolak", "Kuota"]
    data = workbook_bytes([["35.11.05", yesterday(), 10, 5, 2, 0, "=10*10"]], headers=headers)
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_usage(data, users["petugas"])
    assert exc.value.messages == [
        f"Baris 2, kolom Kuota: {FORMULA} (salin lalu Tempel Spesial → Nilai)."
    ]
    db.session.rollback()
    assert count(db, UsageDay) == 0


def test_coverage_import_refuses_a_formula_in_a_required_column(db, users):
    headers = ["Kode Wilayah", "Per Tanggal", "Wajib KTP-el", "Sudah Rekam"]
    data = workbook_bytes([["35.11.05", yesterday(), "=SUM(1,2)", 1]], headers=headers)
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_coverage(data, users["petugas"])
    assert exc.value.messages == [
        f"Baris 2, kolom Wajib KTP-el: {FORMULA} (salin lalu Tempel Spesial → Nilai)."
    ]


def test_operator_import_refuses_formulas_anywhere(db, users):
    headers = ["Nama", "Jabatan", "Kode Wilayah", "Telepon"]
    rows = [
        ["Siti Aminah", "Operator Perekaman", "35.11.05", None],
        ["Budi", "Operator Cetak", "35.11.05", '="0812"&"345678"'],
        ["=A2", "Operator Cetak", "35.11.06", None, "=1"],
    ]
    for dry_run in (True, False):
        result = import_operators(
            workbook_bytes(rows, headers=headers), users["petugas"], dry_run=dry_run
        )
        assert result.errors == [
            f"Baris 3, kolom Telepon: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
            f"Baris 4, kolom Nama: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
            f"Baris 4, kolom E: {FORMULA} (salin lalu Tempel Spesial → Nilai).",
        ]
        assert result.created == 0 and count(db, Operator) == 0

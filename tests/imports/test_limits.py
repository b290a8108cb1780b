"""Imports cannot be stalled: rows (blank ones included), cells, unpacked bytes and seconds are
bounded while the file streams, on every importer, through the CLI and the web."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from assets_app.assets import importer
from assets_app.assets.fields import HEADERS
from assets_app.assets.models import Asset, StatusEvent
from assets_app.audit.models import AuditLog
from assets_app.common import xlsx_reader
from assets_app.config import Config
from assets_app.training.importer import import_operators
from assets_app.training.models import Operator
from tests.assets.xlsx import asset_row, workbook_bytes
from tests.imports.xlsx_build import blank_row_bomb, blank_rows, sheet_rows_of, with_sheet

OPERATOR_HEAD = ["Nama", "Jabatan", "Kode Wilayah"]


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def counts(db):
    return tuple(count(db, m) for m in (Asset, StatusEvent, AuditLog, Operator))


def refused(db, data, user, expected: str) -> float:
    """Seconds the refusal took; asserts the message and that nothing was written."""
    before = counts(db)
    started = time.perf_counter()
    with pytest.raises(importer.ImportFailed) as exc:
        importer.import_assets(data, user)
    elapsed = time.perf_counter() - started
    db.session.rollback()
    assert len(exc.value.messages) == 1 and expected in exc.value.messages[0], exc.value.messages
    assert counts(db) == before
    return elapsed


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The reproducer of issue 20: about a megabyte that unpacks to ~290 MB of blank rows."""
    return blank_row_bomb([asset_row(1)], HEADERS, 48_000_000)


@pytest.fixture(scope="module")
def small_bomb() -> bytes:
    """Under the unpacked-size cap (~30 MB), but five million blank rows."""
    return blank_row_bomb([asset_row(1)], HEADERS, 5_000_000)


def test_default_limits_are_sane():
    assert Config.IMPORT_MAX_BYTES == 10 * 1024 * 1024
    assert Config.IMPORT_MAX_UNZIPPED_BYTES <= 64 * 1024 * 1024
    assert Config.IMPORT_MAX_ROWS == 20_000
    assert 0 < Config.IMPORT_MAX_BLANK_ROWS <= 10_000
    assert 0 < Config.IMPORT_MAX_SECONDS <= 60
    # A full file at the row limit, with every column, stays within the cell limit.
    assert Config.IMPORT_MAX_ROWS * len(HEADERS) < Config.IMPORT_MAX_CELLS <= 2_000_000
    assert {k: getattr(Config, k) for k in xlsx_reader.DEFAULTS} == xlsx_reader.DEFAULTS


def test_the_290_mb_reproducer_is_refused_at_once(db, users, bomb):
    infos = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    assert len(bomb) < 2 * 1024 * 1024 and sum(i.file_size for i in infos) > 280_000_000
    elapsed = refused(db, bomb, users["petugas"], "Isi berkas terlalu besar setelah diekstrak")
    assert elapsed < 1


def test_blank_rows_under_the_size_cap_are_counted(db, users, small_bomb):
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(small_bomb)).infolist())
    assert 20 * 1024 * 1024 < total < Config.IMPORT_MAX_UNZIPPED_BYTES
    elapsed = refused(
        db,
        small_bomb,
        users["petugas"],
        "Terlalu banyak baris: lembar pertama berisi lebih dari 25.001 baris "
        "(baris kosong ikut dihitung).",
    )
    assert elapsed < 5


def test_cli_refuses_the_reproducer_fast(app, db, users, runner, tmp_path, bomb, small_bomb):
    for name, data, message in (
        ("bomb.xlsx", bomb, "Isi berkas terlalu besar setelah diekstrak"),
        ("blank.xlsx", small_bomb, "lebih dari 25.001 baris (baris kosong ikut dihitung)"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        started = time.perf_counter()
        result = runner.invoke(args=["assets", "import", str(path)])
        assert time.perf_counter() - started < 5
        assert result.exit_code == 1
        assert message in result.output and "Tidak ada yang diimpor" in result.output
    assert count(db, Asset) == 0


def test_web_refuses_the_reproducer_fast(app, db, client, login, users, bomb, small_bomb):
    login(users["petugas"])
    page = client.get("/aset/impor").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    for data, message in (
        (bomb, "Isi berkas terlalu besar setelah diekstrak"),
        (small_bomb, "lebih dari 25.001 baris (baris kosong ikut dihitung)"),
    ):
        started = time.perf_counter()
        resp = client.post(
            "/aset/impor",
            data={"csrf_token": token, "file": (io.BytesIO(data), "aset.xlsx")},
            content_type="multipart/form-data",
        )
        assert time.perf_counter() - started < 5
        assert resp.status_code == 200 and message in resp.get_data(as_text=True)
        assert "Impor 1 baris" not in resp.get_data(as_text=True)
    assert count(db, Asset) == 0


def test_gaps_in_row_numbers_count_as_blank_rows(db, users):
    base = workbook_bytes([asset_row(1)])
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>35.11.05</t></is></c></row>'
    data = with_sheet(base, [sheet_rows_of(base), far])
    elapsed = refused(db, data, users["petugas"], "lebih dari 25.001 baris (baris kosong ikut")
    assert elapsed < 1


def test_many_blank_rows_within_the_row_bound_are_counted(db, users):
    """Under the pre-scan's bound (data + blank rows) the blank rows themselves are counted."""
    data = blank_row_bomb([asset_row(1)], HEADERS, 6_000)
    refused(db, data, users["petugas"], "lebih dari 5.000 baris kosong sampai baris 5.003.")


def test_blank_rows_between_data_count(app, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BLANK_ROWS", 2)
    blank = [None] * len(HEADERS)
    ok = workbook_bytes([asset_row(1), blank, blank, asset_row(2)])
    assert importer.import_assets(ok, users["petugas"], dry_run=True).count == 2
    three = workbook_bytes([asset_row(1), blank, blank, blank, asset_row(2)])
    refused(db, three, users["petugas"], "lebih dari 2 baris kosong sampai baris 5.")


def test_cells_are_counted(app, db, users, monkeypatch):
    base = workbook_bytes([asset_row(1)])
    # Rows 3 to 72 have one cell in the sheet's last column: 16,384 cells wide each.
    wide = b"".join(
        b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
        for r in range(3, 73)
    )
    data = with_sheet(base, [sheet_rows_of(base), wide])
    refused(
        db, data, users["petugas"], "Terlalu banyak sel: lebih dari 1.000.000 sel sampai baris 64."
    )
    monkeypatch.setitem(app.config, "IMPORT_MAX_CELLS", 2 * len(HEADERS) - 2)
    refused(db, base, users["petugas"], f"lebih dari {2 * len(HEADERS) - 2} sel sampai baris 2.")


def test_unpacked_size_cap_is_config(app, db, users, monkeypatch):
    data = workbook_bytes([asset_row(1)])
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNZIPPED_BYTES", total - 1)
    refused(db, data, users["petugas"], "Isi berkas terlalu besar setelah diekstrak")
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNZIPPED_BYTES", total)
    assert importer.import_assets(data, users["petugas"], dry_run=True).count == 1


def test_a_slow_file_stops_at_the_deadline(app, db, users, monkeypatch):
    data = workbook_bytes([asset_row(n) for n in range(1, 4)])
    monkeypatch.setitem(app.config, "IMPORT_MAX_SECONDS", 0)
    refused(db, data, users["petugas"], "Berkas terlalu lama diproses (lebih dari 0 detik).")


def test_the_deadline_is_checked_while_the_sheet_streams(app, db, users, monkeypatch):
    """Shared strings and styles are read in well under the limit; the sheet is not."""
    monkeypatch.setitem(app.config, "IMPORT_MAX_BLANK_ROWS", 10_000_000)
    monkeypatch.setitem(app.config, "IMPORT_MAX_SECONDS", 0.5)
    started = time.perf_counter()
    data = blank_row_bomb([asset_row(1)], HEADERS, 5_000_000)
    refused(db, data, users["petugas"], "Berkas terlalu lama diproses")
    assert time.perf_counter() - started < 5


def test_usage_and_coverage_imports_share_the_limits(db, users):
    usage = ["Kode Wilayah", "Tanggal", "Rekam", "Cetak KTP-el", "Cetak KK", "Ditolak"]
    data = blank_row_bomb([], usage, 50_000)
    for run in (importer.import_usage, importer.import_coverage):
        with pytest.raises(importer.ImportFailed) as exc:
            run(data, users["petugas"])
        assert "lebih dari 25.001 baris (baris kosong ikut dihitung)" in exc.value.messages[0]


def test_operator_import_shares_the_limits(app, db, users, client, login, bomb, monkeypatch):
    data = blank_row_bomb([["Siti", "Operator", "35.11.05"]], OPERATOR_HEAD, 50_000)
    result = import_operators(data, users["petugas"])
    assert result.errors == [
        "Terlalu banyak baris: lembar pertama berisi lebih dari 10.001 baris (baris kosong ikut "
        "dihitung). Hapus baris kosong di bawah data atau pecah menjadi beberapa berkas."
    ]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    login(users["petugas"])
    started = time.perf_counter()
    resp = client.post(
        "/pelatihan/operator/impor",
        data={"file": (io.BytesIO(bomb), "op.xlsx")},
        content_type="multipart/form-data",
    )
    assert time.perf_counter() - started < 5
    assert resp.status_code == 422
    assert "Isi berkas terlalu besar setelah diekstrak" in resp.get_data(as_text=True)
    assert count(db, Operator) == 0


def test_operator_rows_limit_counts_data_rows(app, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    rows = [[f"Operator {n}", "Operator", "35.11.05"] for n in range(3)]
    data = workbook_bytes(rows, headers=OPERATOR_HEAD)
    assert import_operators(data, users["petugas"]).errors == [
        "Terlalu banyak baris: lebih dari 2 baris data. "
        "Pecah menjadi beberapa berkas berisi paling banyak 2 baris."
    ]
    assert count(db, Operator) == 0


def test_blank_row_generator_is_exact():
    assert b"".join(blank_rows(7, per_chunk=3)) == b"<row/>" * 7


def test_a_chartsheet_first_does_not_hide_the_sheet_that_is_read(db, users):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(HEADERS))
    wb.active.append(asset_row(1))
    wb.create_chartsheet("Grafik", 0)
    buf = io.BytesIO()
    wb.save(buf)
    base = buf.getvalue()
    data = with_sheet(base, [sheet_rows_of(base), *blank_rows(5_000_000)])
    elapsed = refused(db, data, users["petugas"], "lebih dari 25.001 baris (baris kosong ikut")
    assert elapsed < 5


def test_elements_of_any_kind_are_bounded(app, db, users, monkeypatch):
    """A sheet stuffed with elements openpyxl skips still costs parsing: they are counted."""
    monkeypatch.setitem(app.config, "IMPORT_MAX_CELLS", 1_000)
    base = workbook_bytes([asset_row(1)])
    data = with_sheet(base, [sheet_rows_of(base), b'<row r="3">' + b"<x/>" * 50_000 + b"</row>"])
    refused(db, data, users["petugas"], "Terlalu banyak sel: lebih dari 1.000 sel sampai baris 3.")

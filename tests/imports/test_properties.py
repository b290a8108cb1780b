"""Properties of the import parser: whatever bytes come in, the result is either a clear error
(a list of Indonesian messages, no exception) or a correct import, and a refused file writes
nothing. Bounded and derandomized so the run is the same every time."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets_app.assets import importer
from assets_app.assets.fields import HEADERS
from assets_app.assets.models import Asset, StatusEvent
from assets_app.audit.models import AuditLog
from assets_app.training.importer import import_operators
from assets_app.training.models import Operator
from tests.assets.xlsx import asset_row, workbook_bytes

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = workbook_bytes([asset_row(1), asset_row(2), asset_row(3)])


def _stored(data: bytes) -> bytes:
    """The same workbook without compression, so flipped bytes land in the XML itself."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


STORED = _stored(BASE)


def count(db):
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Asset, StatusEvent, AuditLog, Operator)
    )


def check_assets(db, user, data: bytes):
    """Either ImportFailed with messages and nothing written, or every row imported."""
    before = count(db)
    try:
        result = importer.import_assets(data, user)
    except importer.ImportFailed as exc:
        assert exc.messages and all(isinstance(m, str) and m.strip() for m in exc.messages)
        assert count(db) == before
        db.session.rollback()
        return None
    try:
        assert result.created == result.count > 0
        grown = tuple(a - b for a, b in zip(count(db), before, strict=True))
        assert grown == (result.count, result.count, result.count, 0)
        names = db.session.scalars(db.select(Asset.name).order_by(Asset.id).offset(before[0])).all()
        assert names == [row["name"] for row in result.rows]
        return result
    finally:
        db.session.rollback()
        assert count(db) == before


def _mutate(data: bytes, edits, cut) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        buf[pos % len(buf)] = value
    return bytes(buf[: max(1, len(buf) - cut)])


EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8)


@PROPERTY
@given(
    data=st.one_of(st.binary(max_size=2048), st.binary(max_size=2048).map(b"PK\x03\x04".__add__))
)
def test_any_bytes_give_an_error_or_an_import(db, users, data):
    check_assets(db, users["petugas"], data)


@PROPERTY
@given(edits=EDITS, cut=st.sampled_from([0, 0, 0, 1, 22, 500]), stored=st.booleans())
def test_damaged_workbooks_give_an_error_or_an_import(db, users, edits, cut, stored):
    check_assets(db, users["petugas"], _mutate(STORED if stored else BASE, edits, cut))


CELL = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.booleans(),
    st.sampled_from(["=1+1", "=A1", '="x"&"y"', "=SUM(A1:A3)"]),
)


@st.composite
def sheets(draw):
    """Up to five rows, each a valid row with a few cells replaced by anything."""
    rows = []
    for n in range(1, draw(st.integers(1, 5)) + 1):
        row = asset_row(n)
        for col, value in draw(
            st.dictionaries(st.sampled_from(range(len(HEADERS))), CELL, max_size=3)
        ).items():
            row[col] = value
        rows.append(row)
    return rows


@PROPERTY
@given(rows=sheets())
def test_any_cell_values_give_row_errors_or_a_correct_import(db, users, rows):
    result = check_assets(db, users["petugas"], workbook_bytes(rows))
    if result is not None:
        blank = [all(v is None or (isinstance(v, str) and not v.strip()) for v in r) for r in rows]
        assert result.count == blank.count(False)
        assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)


OPERATOR_BASE = workbook_bytes(
    [["Siti Aminah", "Operator Perekaman", "35.11.05"], ["Budi", "Operator Cetak", "35.11.06"]],
    headers=["Nama", "Jabatan", "Kode Wilayah"],
)
OPERATOR_STORED = _stored(OPERATOR_BASE)


@PROPERTY
@given(edits=EDITS, cut=st.sampled_from([0, 0, 1, 300]), stored=st.booleans())
def test_operator_import_of_damaged_files(db, users, edits, cut, stored):
    data = _mutate(OPERATOR_STORED if stored else OPERATOR_BASE, edits, cut)
    before = count(db)
    try:
        result = import_operators(data, users["petugas"])
        if result.errors:
            assert all(isinstance(m, str) and m.strip() for m in result.errors)
            assert result.created == 0 and count(db) == before
        else:
            assert count(db)[3] == before[3] + result.created == before[3] + result.rows
    finally:
        db.session.rollback()


def test_a_zip_needing_an_unknown_version_is_a_damaged_file(db, users):
    """Found by the property run: zipfile refuses "zip file version 6.4" with its own error
    for a central directory entry that asks for a newer extractor; that is a damaged file."""
    data = bytearray(OPERATOR_BASE)
    entry = data.find(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # version needed to extract
    result = import_operators(bytes(data), users["petugas"])
    assert result.errors == ["Berkas XLSX rusak atau tidak dapat dibaca."]

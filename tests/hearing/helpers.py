"""Data builders for the hearing tests (committed, like tests/factories.py)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app

from assets_app.extensions import db

PDF_BYTES = b"%PDF-1.4 paket uji\n"
XLSX_BYTES = b"PK\x03\x04 paket uji"


def make_asset(region_code: str, *, price: int = 10_000_000, status: str = "operasional", **kw):
    """A register row written directly with its event log as the status service would leave
    it: *operasional* from the acquisition day, then `status` from `status_since` (for tests
    that need the register only; tests/assets/helpers.make_asset goes through the services)."""
    from assets_app.assets.models import Asset, StatusEvent
    from assets_app.common import vocab
    from assets_app.common.timeutil import start_of_day

    values = dict(
        region_code=region_code,
        kode_barang="1.3.2.10.01.02.001",
        register_no=secrets.token_hex(3),
        name="PC Unit",
        category="perekaman",
        brand_model="Lenovo M720",
        acquired_on=date(2019, 3, 1),
        funding_source="APBD",
        acquisition_method="pembelian",
        unit_price=price,
        condition="B",
        label_token=secrets.token_hex(8),
        status=status,
        status_since=datetime(2026, 2, 1, tzinfo=UTC),
    )
    values.update(kw)
    if values["status"] in vocab.DOWN_STATUSES:  # the cache of its latest event (below)
        values.setdefault("status_cause", "perangkat_keras")
        values.setdefault("status_party", "vendor")
    asset = Asset(**values)
    db.session.add(asset)
    db.session.flush()
    acquired = start_of_day(asset.acquired_on)
    events = [("operasional", acquired)]
    if asset.status != "operasional" or asset.status_since > acquired:
        events.append((asset.status, max(asset.status_since, acquired)))
    for status, started in events:
        down = status in vocab.DOWN_STATUSES
        blame = {"cause": "perangkat_keras", "responsible_party": "vendor"} if down else {}
        db.session.add(StatusEvent(asset_id=asset.id, status=status, started_at=started, **blame))
    db.session.commit()
    return asset


def make_report(region_code: str, *, pdf: bytes = PDF_BYTES, xlsx: bytes = XLSX_BYTES, author=None):
    """An archived packet with small stand-in files (for access and download tests)."""
    from assets_app.hearing.models import HearingReport

    token = secrets.token_urlsafe(16)
    folder = f"reports/hearing/2026/{token}"
    report = HearingReport(
        token=token,
        region_code=region_code,
        scope_name=f"Wilayah {region_code}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        as_of=date(2026, 6, 30),
        options={"verify_url": f"http://localhost/verifikasi/{token}"},
        author_id=getattr(author, "id", None),
        author_name=getattr(author, "name", "Uji"),
        pdf_path=f"{folder}/laporan.pdf",
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
        xlsx_path=f"{folder}/laporan.xlsx",
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        xlsx_size=len(xlsx),
    )
    root = Path(current_app.instance_path)
    for rel, data in ((report.pdf_path, pdf), (report.xlsx_path, xlsx)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    db.session.add(report)
    db.session.commit()
    return report


def assert_blanko_sheet_reconciles(ws) -> list[str]:
    """Every row of the packet's "Blanko" sheet: opening + received − distributed + returned −
    used − damaged ± adjusted = closing. Returns the header row for further checks."""
    head = [c.value for c in ws[1]]
    for cells in ws.iter_rows(min_row=2, values_only=True):
        v = dict(zip(head, cells, strict=True))
        assert (
            v["Saldo awal"]
            + v["Diterima"]
            - v["Dikirim"]
            + v["Dikembalikan (diterima)"]
            - v["Dipakai"]
            - v["Rusak (dihapus)"]
            + v["Penyesuaian (±)"]
            == v["Saldo akhir"]
        ), v["Lokasi"]
    return head

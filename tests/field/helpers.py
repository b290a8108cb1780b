"""Builders for the daily report tests: a kecamatan with a recording set, a printer and
blanko on hand (committed, so the test client sees them)."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.assets.models import StatusEvent, UsageDay
from assets_app.blanko.models import BlankoMovement
from assets_app.extensions import db
from assets_app.field.models import DailyReport
from tests.blanko.conftest import PUJER, Ledger
from tests.tickets.helpers import make_asset


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def counts() -> dict:
    return {
        "reports": count(DailyReport),
        "usage": count(UsageDay),
        "events": count(StatusEvent),
        "pemakaian": count(BlankoMovement, BlankoMovement.kind == "pemakaian"),
        "rusak": count(BlankoMovement, BlankoMovement.kind == "rusak"),
    }


def kecamatan(users, stock: int = 50, code: str = PUJER):
    """(camera, printer) in `code`, both operational, and `stock` cards on hand there."""
    camera = make_asset(code, name="Kamera Perekaman", category="perekaman")
    printer = make_asset(code, name="Printer KTP-el", category="cetak_ktp")
    if stock:
        Ledger(users).stock(code, stock)
    return camera, printer


def report(**kw) -> dict:
    values = {
        "region_code": PUJER,
        "rekam": "42",
        "cetak_ktp": "30",
        "cetak_kk": "12",
        "ditolak": "3",
        "suket": "5",
        "kuota": "60",
        "blanko_used": "30",
        "blanko_damaged": "0",
        "note": "Lancar.",
        "devices": [],
    }
    values.update(kw)
    return values

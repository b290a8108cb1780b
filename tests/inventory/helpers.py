"""Shared setup of the inventarisasi tests: assets in Kec. Pujer (35.11.05) and 35.11.06."""

from __future__ import annotations

from assets_app.extensions import db
from assets_app.inventory import services
from tests.assets.helpers import make_asset


def assets_two_kecamatan():
    a = make_asset(name="PC perekaman Pujer", unit_price=10_000_000)
    b = make_asset(name="Printer KTP-el Pujer", unit_price=4_000_000)
    c = make_asset(name="Kamera Pujer", unit_price=1_500_000)
    other = make_asset(name="PC kecamatan lain", region_code="35.11.06", unit_price=9_000_000)
    return a, b, c, other


def open_pujer(by):
    session = services.open_session(by, regions=["35.11.05"])
    db.session.commit()
    return session

"""Factories for the assets domain: valid register data and committed assets/usage."""

from __future__ import annotations

from datetime import date

from assets_app.assets import services
from assets_app.extensions import db

_counter = {"n": 0}


def asset_data(**overrides) -> dict:
    _counter["n"] += 1
    data = {
        "region_code": "35.11.05",
        "kode_barang": "1.3.2.10.01.02.001",
        "register_no": f"{_counter['n']:04d}",
        "name": "PC Unit perekaman KTP-el",
        "category": "perekaman",
        "brand_model": "Dell OptiPlex 7090",
        "serial_number": f"SN-{_counter['n']:06d}",
        "acquired_on": date(2019, 8, 15),
        "funding_source": "APBD",
        "acquisition_method": "pembelian",
        "contract_no": "027/123/SPK/2019",
        "vendor": "CV Maju Jaya",
        "unit_price": 14_750_000,
        "bast_no": "027/130/BAST/2019",
        "bast_date": date(2019, 8, 20),
        "condition": "B",
        "custodian": "Operator perekaman",
        "notes": None,
    }
    data.update(overrides)
    return data


def make_asset(by=None, commit=True, **overrides):
    by = by or services.SystemActor()
    asset = services.create_asset(by, asset_data(**overrides))
    if commit:
        db.session.commit()
    return asset

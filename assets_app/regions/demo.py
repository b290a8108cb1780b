"""Demo: the regions of the four sample kab/kota (config DEMO_REGIONS)."""

from __future__ import annotations

from flask import current_app

from assets_app.regions.services import load_regions


def load_demo() -> str:
    result = load_regions(list(current_app.config["DEMO_REGIONS"]))
    return f"{result['total']} wilayah ({result['added']} baru)"

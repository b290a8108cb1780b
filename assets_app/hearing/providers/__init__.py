"""Summary providers: each domain's numbers for the summary, by calling that domain's service
functions (never re-querying its tables here), and the drill-down target of each figure.

One module per domain, registered when that domain's services are installed, so the summary
works whatever subset of domains an installation (or a branch) has:

- `equipment`: the register, downtime, usage, idle, coverage (assets domain services);
  `equipment_interim` reads the foundation's asset models directly while those services are
  absent or incomplete;
- `tickets`: tickets and letters; `training`: operators and gaps; `blanko`: the blanko ledger.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from importlib.util import find_spec

log = logging.getLogger(__name__)

# Extra reasons why an idle asset is idle: fn(assets, today) -> {asset_id: reason}. The
# training module adds "tidak ada operator terlatih".
IDLE_REASONS: list[Callable] = []
# (user, region_code) -> {(region_code, category): (count, value)} of the register, set by
# the register module (the training gaps show the value of the equipment concerned).
_REGISTER_VALUES: list[Callable] = []

MODULES = (
    # (domain services that must exist, provider module)
    ("assets_app.tickets.stats", "tickets"),
    ("assets_app.training.gaps", "training"),
    ("assets_app.blanko.stats", "blanko"),
)


def _installed(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# What `equipment` calls on the assets domain's services; without all of them (a branch merged
# before the others), the interim module keeps the summary working.
REGISTER_NEEDS = (
    "assets_by_region",
    "can_record_today",
    "downtime_by_region",
    "idle_assets",
    "idle_extra_reasons",
    "idle_value_by_region",
    "latest_coverage",
    "latest_events",
    "purchases_by_year",
    "register_by_region_category",
    "usage_totals",
)


def _equipment_module() -> str:
    if not _installed("assets_app.assets.services"):
        return "equipment_interim"
    services = importlib.import_module("assets_app.assets.services")
    missing = [name for name in REGISTER_NEEDS if not hasattr(services, name)]
    if missing:
        log.warning("assets.services lacks %s; the interim register provider is used", missing)
        return "equipment_interim"
    return "equipment"


def load() -> list[str]:
    """Imports the provider module of every installed domain; returns their names."""
    loaded = []
    equipment = _equipment_module()
    importlib.import_module(f"{__name__}.{equipment}")
    loaded.append(equipment)
    for services, module in MODULES:
        if _installed(services):
            importlib.import_module(f"{__name__}.{module}")
            loaded.append(module)
    return loaded


def set_register_values(fn: Callable) -> None:
    _REGISTER_VALUES[:] = [fn]


def register_values(user, region_code) -> dict:
    return _REGISTER_VALUES[0](user, region_code) if _REGISTER_VALUES else {}


def idle_reasons(assets, today) -> dict[int, list[str]]:
    """{asset_id: [extra reasons]} from every registered hook."""
    out: dict[int, list[str]] = {}
    for hook in IDLE_REASONS:
        for asset_id, reason in hook(assets, today).items():
            out.setdefault(asset_id, []).append(reason)
    return out

"""Summary providers: each domain's numbers for the summary, by calling that domain's service
functions (never re-querying its tables here), and the drill-down target of each figure.

One module per domain:

- `equipment`: register, status and downtime, daily usage, idle equipment, recording coverage
  and purchases (assets domain services);
- `tickets`: open and overdue tickets, letters sent and awaiting a reply (tickets, letters);
- `training`: operators with a valid certificate and training gaps (training);
- `blanko`: the blanko ledger per location (blanko).
"""

from __future__ import annotations

import importlib

MODULES = ("equipment", "tickets", "training", "blanko")


def load() -> list[str]:
    """Registers every provider (importing a module registers its providers)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return list(MODULES)

"""Summary providers: each domain's numbers for the summary, by calling that domain's
`services` (never re-querying its tables here), and the drill-down target of each figure.

One module per domain, composed here in a written order (the summary merges them in it):

- `equipment`: register, status and downtime, daily usage, idle equipment, recording coverage
  and purchases (assets domain services);
- `tickets`: open and overdue tickets, letters sent and awaiting a reply (tickets, letters);
- `training`: operators with a valid certificate and training gaps (training);
- `blanko`: the blanko ledger per location (blanko).
"""

from __future__ import annotations

from assets_app.hearing.providers import blanko, equipment, tickets, training
from assets_app.hearing.providers.base import (  # noqa: F401  (the provider types)
    SECTION_KEYS,
    Provider,
    ProviderResult,
    SectionProvider,
    row_key,
)

PROVIDERS: dict[str, Provider] = {
    p.key: p for p in (*equipment.PROVIDERS, *tickets.PROVIDERS, *training.PROVIDERS, blanko.BLANKO)
}
SECTION_PROVIDERS: dict[str, SectionProvider] = {
    s.key: s for s in (*equipment.SECTIONS, *tickets.SECTIONS, *training.SECTIONS)
}
# metric → [(endpoint, args of a region code)], tried in order (see dashboard.drill_url)
DRILL_TARGETS = [*equipment.DRILL, *tickets.DRILL, *training.DRILL, *blanko.DRILL]

"""Read-only questions other domains ask of the register (assets, status events, daily usage).

The public surface of the assets domain for reading: tickets, training, blanko and hearing
import this module (or `assets.services`), never `assets.models`. Each function returns plain
values or rows, already filtered the way the caller asked.
"""

from __future__ import annotations

# --- for tickets ---------------------------------------------------------------------------


# --- for training --------------------------------------------------------------------------


# --- for blanko ----------------------------------------------------------------------------

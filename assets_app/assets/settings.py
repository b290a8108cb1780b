"""Settings of the register: permissions, limits, the vocabularies a kabupaten may rename."""

from __future__ import annotations

from datetime import date, timedelta

from assets_app.common import vocab
from assets_app.common.permissions import ROLES, define

# --- permissions ---------------------------------------------------------------------------

define("assets.view", *ROLES)
define("assets.write", "admin", "kadis", "petugas")
# camat: only assets of their own kecamatan, which the scope already guarantees.
define("assets.status", "admin", "kadis", "petugas", "camat")
define("usage.write", "admin", "kadis", "petugas", "camat")
define("coverage.write", "admin", "kadis", "petugas")
# the Dinas follows up kecamatan that did not file their daily usage report
define("usage.reporting", "admin", "kadis", "petugas")

ASSET_REGION_LEVELS = ("kabkota", "kecamatan")  # a kecamatan, or the kab/kota for the Dinas
USAGE_REGION_LEVELS = ("kabkota", "kecamatan")  # service points: kecamatan and the Dinas
COVERAGE_REGION_LEVELS = ("kabkota", "kecamatan", "kelurahan")
IDLE_WINDOW_DAYS = 30
REPORTING_PERIOD_DAYS = 30  # default period of the "Belum melapor" page
# A status may be reported a few minutes "ahead" because clocks differ between devices.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_SERVICE_DAY = date(2011, 1, 1)  # KTP-el recording started in 2011
MAX_DAILY_COUNT = 100_000
MAX_POPULATION = 50_000_000  # wajib KTP-el of one region: above it is a typing error
UNKNOWN_CAUSE = "lainnya"
UNKNOWN_PARTY = "belum_ditentukan"
PARTY_LABELS = {**vocab.RESPONSIBLE_PARTY, UNKNOWN_PARTY: "Belum ditentukan"}
PARTY_CHOICES = vocab.RESPONSIBLE_PARTY

USAGE_COUNTS = ("rekam", "cetak_ktp", "cetak_kk", "ditolak")
# Counted per day beside them, optional in imports and the usage form (the daily report sets it).
EXTRA_COUNTS = ("suket",)


def condition_labels() -> dict[str, str]:
    """B/KB/RB labels; `CONDITION_LABELS` in the config renames them, e.g.
    {"KB": "Rusak Ringan"} where the kabupaten uses B/RR/RB wording."""
    from flask import current_app, has_app_context

    custom = current_app.config.get("CONDITION_LABELS") if has_app_context() else None
    return {**vocab.CONDITION, **(custom or {})}


def asset_enums() -> dict:
    return {"condition": condition_labels()}

"""Issue 12, "reporting is a fact of its own", as data (Kab. Bondowoso, 23 kecamatan).

Period Mon 16 – Sun 22 November 2026 (5 working days); the clock is Mon 23 November 2026.

- Kec. Pujer (35.11.05) reports on Mon, Wed, Fri and Sat: recordings every time, never a KK
  print → its KK printer is *idle* (reported zero use); 3 of 5 working days = 60 %.
- Kec. Grujugan (35.11.06) files no usage report at all → its PC and printer (Rp 14.750.000 +
  Rp 45.000.000) are *unreported*, not idle; "belum pernah melapor".
- Kec. Curahdami (35.11.07) files no report either, but its only PC is marked *tidak
  digunakan* → idle whatever the reporting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from assets_app.assets import services
from assets_app.extensions import db
from tests.assets.helpers import make_asset

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB, Monday
TODAY = date(2026, 11, 23)
START, END = date(2026, 11, 16), date(2026, 11, 22)
PUJER, GRUJUGAN, CURAHDAMI = "35.11.05", "35.11.06", "35.11.07"
REPORT_DAYS = (date(2026, 11, 16), date(2026, 11, 18), date(2026, 11, 20), date(2026, 11, 21))
PC, PRINTER = 14_750_000, 45_000_000

IDLE_COUNT, IDLE_VALUE = 2, PRINTER + PC  # Pujer's printer, Curahdami's parked PC
UNREPORTED_COUNT, UNREPORTED_VALUE = 2, PC + PRINTER  # Grujugan's PC and printer
KECAMATAN = 23
EXPECTED_DAYS = KECAMATAN * 5
REPORTED_DAYS = 3  # Saturday does not count


def _printer(by, region_code):
    return make_asset(
        by,
        region_code=region_code,
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
        name="Printer KK",
        unit_price=PRINTER,
    )


def build(users) -> dict:
    """Run under `time_machine.travel(NOW, tick=False)`."""
    by = users["petugas"]
    out = {
        "pujer_pc": make_asset(by, region_code=PUJER, unit_price=PC),
        "pujer_printer": _printer(by, PUJER),
        "grujugan_pc": make_asset(by, region_code=GRUJUGAN, unit_price=PC),
        "grujugan_printer": _printer(by, GRUJUGAN),
        "parked": make_asset(by, region_code=CURAHDAMI, unit_price=PC),
    }
    services.set_status(
        by,
        out["parked"],
        status="tidak_digunakan",
        cause="operator",
        responsible_party="disdukcapil",
        started_at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    for day in REPORT_DAYS:
        services.record_usage(
            by, {"region_code": PUJER, "day": day, "rekam": 25, "cetak_kk": 0, "cetak_ktp": 5}
        )
    db.session.commit()
    return out

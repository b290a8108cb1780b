"""Demo daily reports and public boards (idempotent, a step of `flask demo load` after the
blanko stock):

- Kab. Bekasi, the 2018 story: today the SIAK network is down in most kecamatan — their
  daily reports mark the recording PC and the router *gangguan* (jaringan, Diskominfo),
  record nothing and count the citizens sent home; Kec. Babelan turned 57 away. The board
  carries the Dinas' notice that recording moved to the Dinas office (quota 400).
- Kota Serang: Kec. Cipocok Jaya reports today with its equipment still down since the
  outage of five months ago (the board shows since when and "jaringan terputus").
A kecamatan that already reported today is left as it is.
"""

from __future__ import annotations

from assets_app.assets import services as asset_services
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.extensions import db
from assets_app.field import queries, services
from assets_app.field.models import StatusBoard
from assets_app.regions.models import Region
from assets_app.regions.services import children

ACTOR = asset_services.SystemActor(username="demo")
BEKASI, BABELAN = "32.16", "32.16.02"
CIPOCOK = "36.73.05"
BEKASI_NOTICE = (
    "Jaringan SIAK di banyak kecamatan terputus hari ini. Layanan perekaman KTP-el dialihkan "
    "ke kantor Dinas (kuota 400 per hari)."
)


def _report(code: str, *, down: bool, ditolak: int, note: str) -> bool:
    today = today_wib()
    region = db.session.get(Region, code)
    if region is None or queries.get_report(code, today) is not None:
        return False
    devices = queries.devices_of(code)
    if not any(d.category == "perekaman" for d in devices):
        return False
    rows = []
    for d in devices:
        if down and not d.down and d.category in ("perekaman", "jaringan"):
            rows.append({"asset_id": d.id, "status": "gangguan", "cause": "jaringan",
                         "responsible_party": "diskominfo"})  # fmt: skip
    data = {"region_code": code, "day": today, "rekam": 0 if down else 35, "cetak_ktp": 0,
            "cetak_kk": 0 if down else 10, "ditolak": ditolak, "suket": 0, "kuota": 60,
            "blanko_used": 0, "blanko_damaged": 0, "devices": rows, "note": note}  # fmt: skip
    services.file_daily_report(ACTOR, data, now=utcnow(), today=today)
    return True


def load_demo() -> str:
    filed = 0
    kecamatan = [r.code for r in children(BEKASI) if r.level == "kecamatan"]
    for i, code in enumerate(kecamatan):
        down = code == BABELAN or i % 4 != 0  # three of four kecamatan offline
        ditolak = 57 if code == BABELAN else (25 + i % 20 if down else 0)
        note = "Jaringan SIAK terputus sejak pagi; warga diarahkan ke kantor Dinas." if down else ""
        filed += _report(code, down=down, ditolak=ditolak, note=note)
    filed += _report(CIPOCOK, down=True, ditolak=31,
                     note="Server perekaman masih rusak; warga diarahkan ke kantor Dinas.")  # fmt: skip
    board = db.session.get(StatusBoard, BEKASI)
    if board is None and db.session.get(Region, BEKASI) is not None:
        db.session.add(StatusBoard(region_code=BEKASI, enabled=True, notice=BEKASI_NOTICE))
    db.session.flush()
    return f"{filed} laporan harian hari ini (Kab. Bekasi, Kota Serang), papan layanan Kab. Bekasi"

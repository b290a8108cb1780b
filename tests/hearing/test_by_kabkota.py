"""Issue 17: the summary grouped per kab/kota (province and national view): each kab/kota row
equals that kab/kota's own summary, the total equals the sum of the rows, ratios are
recomputed from summed parts, and the number of queries does not grow with the number of
kab/kota (Jawa Timur: 38 kab/kota, 666 kecamatan)."""

from __future__ import annotations

import time_machine

from assets_app.extensions import db
from assets_app.hearing.summary import build_summary
from assets_app.regions.models import Region
from assets_app.regions.services import bundled_rows
from tests.factories import make_user
from tests.hearing import fixture
from tests.hearing.fixture import END, NOW, START, TODAY
from tests.hearing.helpers import make_asset
from tests.querycount import count_queries

SUMMED = (
    "assets_count",
    "assets_value",
    "operational_count",
    "idle_count",
    "idle_value",
    "unreported_count",
    "unreported_value",
    "downtime_hours",
    "open_tickets",
    "overdue_tickets",
    "letters_sent",
    "trained_operators",
    "training_gaps",
    "blanko_closing",
    "blanko_used",
    "wajib_ktp",
    "sudah_rekam",
    "recorded",
    "turned_away",
)
RATIOS = ("operational_pct", "coverage_pct", "reporting_pct", "spoilage_pct", "days_of_cover")


def test_each_kabkota_row_is_that_kabkota_summary_and_the_total_their_sum(users):
    fixture.build(users)
    make_asset("36.73.01", price=7_000_000)
    make_asset("36.73.02", price=3_000_000, status="tidak_digunakan")
    admin = users["admin"]
    with time_machine.travel(NOW, tick=False):
        grouped = build_summary(admin, None, START, END, TODAY, by="kabkota")
        own = {k: build_summary(admin, k, START, END, TODAY) for k in ("35.11", "36.73")}
    rows = {r.region_code: r for r in grouped.kabkota}
    assert list(rows) == ["35.11", "36.73"]
    assert rows["35.11"].name == "Kabupaten Bondowoso"
    for code, row in rows.items():
        expected = own[code].total
        for metric in (*SUMMED, *RATIOS, "can_record_today", "downtime_by_party"):
            assert getattr(row.figures, metric) == getattr(expected, metric), (code, metric)
        assert row.kecamatan_count == len(own[code].kecamatan_rows)
    for metric in SUMMED:
        parts = sum(getattr(r.figures, metric) for r in rows.values())
        assert getattr(grouped.total, metric) == parts, metric
    assert grouped.total.can_record_today == sum(r.figures.can_record_today for r in rows.values())
    # Bondowoso's known answers survive the grouping; Serang's two assets are its own
    assert rows["35.11"].figures.assets_count == fixture.EXPECTED["assets_count"]
    assert rows["35.11"].figures.days_of_cover == fixture.EXPECTED["days_of_cover"]
    assert rows["36.73"].figures.assets_value == 10_000_000
    assert rows["36.73"].figures.operational_pct == 50.0
    # the whole installation has days of cover too (Serang holds no blanko: Bondowoso's)
    assert grouped.total.days_of_cover == rows["35.11"].figures.days_of_cover is not None
    # ratios of the total come from the summed parts, not a mean of the rows' ratios
    assert grouped.total.operational_pct == round(
        grouped.total.operational_count * 100 / grouped.total.assets_count, 2
    )


def test_a_province_scoped_user_sees_only_their_province(users):
    make_asset("35.11.05")
    make_asset("36.73.01")
    jatim = make_user("dprd", "35")
    with time_machine.travel(NOW, tick=False):
        s = build_summary(jatim, "35", START, END, TODAY, by="kabkota")
    assert [r.region_code for r in s.kabkota] == ["35.11"]
    assert s.total.assets_count == 1
    api = s.as_api()
    assert "kecamatan" not in api
    assert api["kabkota"][0]["region_code"] == "35.11"
    assert api["kabkota"][0]["assets_count"] == 1
    assert set(api["total"]) >= {"assets_count", "days_of_cover", "coverage_pct", "kabkota_count"}


def _load_jawa_timur() -> int:
    """Every kab/kota and kecamatan of Jawa Timur (35) not loaded yet; returns kab/kota."""
    have = set(db.session.scalars(db.select(Region.code)))
    rows = [
        {"code": c, "name": n, "level": lv, "parent_code": p, "kind": k}
        for c, n, lv, p, k in bundled_rows()
        if c.startswith("35.") and lv in ("kabkota", "kecamatan") and c not in have
    ]
    rows.sort(key=lambda r: r["code"].count("."))
    db.session.execute(db.insert(Region), rows)
    db.session.commit()
    return db.session.scalar(
        db.select(db.func.count()).where(Region.level == "kabkota", Region.code.like("35.%"))
    )


def test_the_province_view_runs_a_bounded_number_of_queries(users):
    from assets_app.tickets.sla_config import forget_sla_config

    jatim = make_user("dprd", "35")

    def queries() -> tuple[int, int]:
        db.session.expire_all()
        forget_sla_config()
        with time_machine.travel(NOW, tick=False), count_queries(db.engine) as statements:
            s = build_summary(jatim, "35", START, END, TODAY, by="kabkota")
        return len(statements), len(s.kabkota)

    make_asset("35.11.05")
    small, one = queries()
    assert one == 1
    kabkota = _load_jawa_timur()
    assert kabkota == 38
    kecamatan = db.session.scalar(
        db.select(db.func.count()).where(Region.level == "kecamatan", Region.code.like("35.%"))
    )
    assert kecamatan == 666
    for i, kab in enumerate(("35.01", "35.07", "35.78", "35.79")):
        make_asset(f"{kab}.01", status="tidak_digunakan" if i % 2 else "operasional")
    big, rows = queries()
    assert rows == 38
    assert big == small

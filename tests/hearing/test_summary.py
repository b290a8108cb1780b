"""The summary service: merging providers, totals recomputed from sums, scope, query bounds."""

from __future__ import annotations

from datetime import date

import pytest

from assets_app.extensions import db
from assets_app.hearing import summary as summary_mod
from assets_app.hearing.summary import Provider, build_summary, row_key
from tests.hearing.helpers import make_asset
from tests.querycount import count_queries

START, END, TODAY = date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 10)


def _provider(key, section, metrics, data):
    return Provider(key, lambda *a: data, tuple(metrics), section)


@pytest.fixture
def fake_providers(monkeypatch):
    """Replaces every registered provider with the given fakes for one test."""

    def install(*providers):
        monkeypatch.setattr(summary_mod, "PROVIDERS", {p.key: p for p in providers})
        monkeypatch.setattr(summary_mod, "SECTION_PROVIDERS", {})

    return install


def test_row_key_folds_kelurahan_into_kecamatan():
    assert row_key("35.11.05.2001") == "35.11.05"
    assert row_key("35.11.05") == "35.11.05"
    assert row_key("35.11") == "35.11"


def test_rows_and_totals_recompute_ratios_from_sums(regions, users, fake_providers):
    fake_providers(
        _provider(
            "assets",
            "assets",
            ("assets_count", "operational_count", "assets_value", "can_record_today"),
            {
                "35.11.05": {
                    "assets_count": 1,
                    "operational_count": 1,
                    "assets_value": 100,
                    "can_record_today": True,
                },
                "35.11.06": {"assets_count": 3, "operational_count": 1, "assets_value": 300},
                "35.11": {"assets_count": 2, "operational_count": 2, "assets_value": 50},
            },
        ),
        _provider(
            "coverage",
            "coverage",
            ("wajib_ktp", "sudah_rekam"),
            {
                "35.11.05.2001": {"wajib_ktp": 100, "sudah_rekam": 90},
                "35.11.05.2002": {"wajib_ktp": 100, "sudah_rekam": 100},
                "35.11.06": {"wajib_ktp": 1000, "sudah_rekam": 500},
            },
        ),
        _provider(
            "blanko",
            "blanko",
            ("blanko_used", "blanko_damaged", "blanko_balance"),
            {
                "35.11.05": {"blanko_used": 100, "blanko_damaged": 0, "blanko_balance": 50},
                "35.11": {"blanko_used": 0, "blanko_damaged": 10, "blanko_balance": 1000},
            },
        ),
        _provider(
            "downtime",
            "downtime",
            ("downtime_hours", "downtime_by_party"),
            {
                "35.11.05": {"downtime_hours": 10.04, "downtime_by_party": {"pln": 10.04}},
                "35.11.06": {"downtime_hours": 5, "downtime_by_party": {"pln": 2, "vendor": 3}},
            },
        ),
        _provider(
            "tickets",
            "tickets",
            ("open_tickets", "oldest_ticket_days"),
            {
                "35.11.05": {"open_tickets": 2, "oldest_ticket_days": 40},
                "35.11.06": {"open_tickets": 1, "oldest_ticket_days": 95},
            },
        ),
    )
    s = build_summary(users["dprd"], "35.11", START, END, today=TODAY)
    by_code = {r.region_code: r for r in s.rows}
    assert len(s.kecamatan_rows) == 23  # Bondowoso's kecamatan, with or without data
    assert s.rows[-1].region_code == "35.11"  # the Dinas' own stock comes last
    assert s.rows[-1].name == "Kantor Dinas Kabupaten Bondowoso"
    pujer, other = by_code["35.11.05"].figures, by_code["35.11.06"].figures
    assert pujer.operational_pct == 100.0 and other.operational_pct == 33.33
    assert pujer.can_record_today is True and other.can_record_today is False
    assert pujer.coverage_pct == 95.0  # kelurahan folded: 190 of 200
    assert pujer.days_of_cover == 5.0  # 50 ÷ (100 used ÷ 10 days)
    assert pujer.downtime_hours == 10.0
    t = s.total
    assert t.assets_count == 6 and t.assets_value == 450
    assert t.operational_pct == 66.67  # 4 of 6, not the mean of the rows
    assert t.coverage_pct == 57.5  # 690 of 1,200 (the mean of the rows would be 72.5)
    assert t.spoilage_pct == 9.09  # 10 of 110
    assert t.days_of_cover == 105.0  # 1,050 ÷ (100 ÷ 10)
    assert t.can_record_today == 1
    assert t.downtime_hours == 15.0
    assert t.downtime_by_party == {"pln": 12.0, "vendor": 3.0}
    assert t.oldest_ticket_days == 95 and t.open_tickets == 3
    assert s.available == {"assets", "coverage", "blanko", "downtime", "tickets"}
    api = s.as_api()
    assert api["total"]["kecamatan_count"] == 23
    assert {k["region_code"] for k in api["kecamatan"]} >= {"35.11.05", "35.11"}


def test_missing_providers_give_zeros_and_none(regions, users, fake_providers):
    fake_providers()
    s = build_summary(users["kadis"], "35.11", START, END, today=TODAY)
    t = s.total
    assert (t.assets_count, t.open_tickets, t.blanko_balance) == (0, 0, 0)
    assert t.operational_pct is None and t.days_of_cover is None and t.coverage_pct is None
    assert t.can_record_today is None
    assert s.available == frozenset()


def test_a_provider_cannot_fill_metrics_it_did_not_declare(regions, users, fake_providers):
    fake_providers(_provider("x", "assets", ("assets_count",), {"35.11.05": {"idle_count": 1}}))
    with pytest.raises(ValueError):
        build_summary(users["kadis"], "35.11", START, END, today=TODAY)


def test_register_figures_stay_inside_the_scope(regions, users):
    make_asset("35.11.05", price=10_000_000)
    make_asset("35.11.05", price=5_000_000, status="tidak_digunakan")
    make_asset("35.11.06", price=7_000_000, category="cetak_ktp")
    make_asset("36.73.05", price=99_000_000)
    dprd = build_summary(users["dprd"], "35.11", START, END, today=TODAY)
    assert dprd.total.assets_count == 3 and dprd.total.assets_value == 22_000_000
    assert dprd.total.idle_value == 5_000_000
    rows = {r.region_code: r.figures for r in dprd.rows}
    assert rows["35.11.05"].can_record_today is True
    assert rows["35.11.06"].can_record_today is False  # only a printer there
    camat = build_summary(users["camat"], "35.11.05", START, END, today=TODAY)
    assert [r.region_code for r in camat.rows] == ["35.11.05"]
    assert camat.total.assets_count == 2
    # a scoped user asking for a bigger area still sees only their own rows
    leak = build_summary(users["camat"], "35.11", START, END, today=TODAY)
    assert leak.total.assets_count == 2


def test_summary_runs_a_bounded_number_of_queries(regions, users):
    from assets_app.tickets.sla_config import forget_sla_config

    def queries() -> int:
        db.session.expire_all()
        forget_sla_config()  # the office calendar is read once per request
        with count_queries(db.engine) as statements:
            build_summary(users["dprd"], "35.11", START, END, today=TODAY, sections=True)
        return len(statements)

    make_asset("35.11.01", status="tidak_digunakan")
    small = queries()
    for i in range(40):
        make_asset(f"35.11.{i % 23 + 1:02d}", status="tidak_digunakan" if i % 3 else "operasional")
    assert queries() == small
    assert small <= 38  # every domain's provider: a fixed number each


def test_training_figures_and_the_untrained_idle_reason(regions, users):
    """Operators with a valid certificate, gaps, and "tidak ada operator terlatih" as the
    first reason an idle asset is idle — from the training domain's services."""
    from tests.training.factories import certify
    from tests.training.factories import make_asset as make_training_asset

    make_training_asset("35.11.05", "cetak_kk", status="tidak_digunakan", unit_price=4_600_000)
    make_training_asset("35.11.06", "perekaman", unit_price=14_750_000)
    certify("35.11.06", ("perekaman",), ends_on=date(2025, 12, 1))
    s = build_summary(users["kadis"], "35.11", START, END, today=TODAY, sections=True)
    rows = {r.region_code: r.figures for r in s.rows}
    assert rows["35.11.06"].trained_operators == 1 and rows["35.11.06"].training_gaps == 0
    assert rows["35.11.05"].trained_operators == 0 and rows["35.11.05"].training_gaps == 1
    assert (s.total.trained_operators, s.total.training_gaps) == (1, 1)
    [gap] = s.sections["training_gaps"]
    assert (gap.region_code, gap.category, gap.assets_value) == ("35.11.05", "Cetak KK", 4_600_000)
    idle = {i.region_code: i for i in s.sections["idle_assets"]}
    assert idle["35.11.05"].reason.startswith("Tidak ada operator terlatih")
    if "35.11.06" in idle:  # idle for want of use there, not of a trained operator
        assert "operator terlatih" not in idle["35.11.06"].reason
    assert "training" in s.available


def test_purchases_by_year_and_funding_with_unit_prices(regions, users):
    from tests.assets.helpers import make_asset as register

    printer = dict(
        region_code="35.11.05",
        name="Printer kartu",
        category="cetak_ktp",
        kode_barang="1.3.2.10.02.03.003",
        brand_model="Fargo HDP5000",
        unit_price=49_990_000,
        acquired_on=date(2019, 8, 15),
    )
    register(**printer)
    register(**{**printer, "region_code": "35.11.06"})
    register(
        region_code="35.11.06",
        funding_source="DAK",
        acquired_on=date(2021, 3, 1),
        bast_date=date(2021, 3, 2),
    )
    register(**{**printer, "region_code": "36.73.05", "unit_price": 1})  # outside the scope
    s = build_summary(users["dprd"], "35.11", START, END, today=TODAY, sections=True)
    lines = [
        (p.year, p.funding_source, p.name, p.quantity, p.unit_price, p.total_value)
        for p in s.sections["purchases"]
    ]
    assert lines == [
        (2019, "APBD", "Printer kartu", 2, 49_990_000, 99_980_000),
        (2021, "DAK", "PC Unit perekaman KTP-el", 1, 14_750_000, 14_750_000),
    ]

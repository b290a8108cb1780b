"""Issue 12: a kecamatan that filed no daily usage report is unreported, not idle; the
reporting percentage counts working days with a report; the "Belum melapor" page."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from assets_app.assets import idle, reporting
from tests.assets import reporting_example as ex


@pytest.fixture
def data(users):
    with time_machine.travel(ex.NOW, tick=False):
        return ex.build(users)


def test_no_usage_rows_means_unreported_not_idle(users, data):
    split = idle.idle_split_by_region(users["kadis"], "35.11", today=ex.TODAY)
    assert split[ex.GRUJUGAN] == idle.IdleSplit(0, 0, 2, ex.PC + ex.PRINTER)
    assert split[ex.PUJER] == idle.IdleSplit(1, ex.PRINTER, 0, 0)  # reported zero KK prints
    assert split[ex.CURAHDAMI] == idle.IdleSplit(1, ex.PC, 0, 0)  # tidak digunakan
    items = {i.asset.id: i for i in idle.idle_assets(users["kadis"], "35.11", today=ex.TODAY)}
    assert set(items) == {data["pujer_printer"].id, data["parked"].id}
    assert items[data["pujer_printer"].id].reason.startswith(
        "Kecamatan melaporkan nol pencetakan KK selama 30 hari terakhir"
    )


def test_reporting_pct_counts_working_days_with_a_report(users, data):
    stats = reporting.reporting_by_region(users["kadis"], "35.11", ex.START, ex.END, ex.TODAY)
    assert len(stats) == ex.KECAMATAN
    pujer = stats[ex.PUJER]
    assert (pujer.reported_days, pujer.working_days, pujer.reporting_pct) == (3, 5, 60.0)
    assert pujer.last_report == date(2026, 11, 21)  # the Saturday report is the latest
    grujugan = stats[ex.GRUJUGAN]
    assert (grujugan.reported_days, grujugan.reporting_pct, grujugan.last_report) == (0, 0.0, None)
    # camat of Pujer sees only Pujer
    assert set(reporting.reporting_by_region(users["camat"], None, ex.START, ex.END, ex.TODAY)) == {
        ex.PUJER
    }
    assert reporting.working_days(date(2026, 11, 21), date(2026, 11, 22)) == []


def test_not_reported_page_lists_kecamatan_with_their_pct(users, data, client, login):
    with time_machine.travel(ex.NOW, tick=False):
        login(users["petugas"])
        html = client.get(
            "/aset/belum-melapor?dari=2026-11-16&sampai=2026-11-22&per_page=50"
        ).get_data(as_text=True)
    assert re.search(r'data-testid="not-today">23<', html)  # nobody reported for today
    assert re.search(r'data-testid="reporting-pct">2,61%<', html)  # 3 of 115, not an average
    assert html.count('data-testid="reporting-row"') == 23
    assert "Kec. Pujer" in html and "60,00%" in html and "21 November 2026" in html
    assert "belum pernah melapor" in html
    # worst first: a kecamatan that never reported comes before Pujer
    assert html.index(">Kec. Grujugan</a>") < html.index(">Kec. Pujer</a>")
    # paginated
    with time_machine.travel(ex.NOW, tick=False):
        login(users["petugas"])
        page2 = client.get(
            "/aset/belum-melapor?dari=2026-11-16&sampai=2026-11-22&per_page=20&page=2"
        )
    assert page2.get_data(as_text=True).count('data-testid="reporting-row"') == 3


def test_not_reported_page_empty_state(users, client, login, db):
    from assets_app.assets import services

    with time_machine.travel(ex.NOW, tick=False):
        for d in (16, 17, 18, 19, 20, 23):
            services.record_usage(
                users["petugas"], {"region_code": ex.PUJER, "day": date(2026, 11, d)}
            )
        db.session.commit()
        login(users["petugas"])
        html = client.get(
            "/aset/belum-melapor?region=35.11.05&dari=2026-11-16&sampai=2026-11-22"
        ).get_data(as_text=True)
    assert "Semua kecamatan sudah melapor" in html
    assert re.search(r'data-testid="reporting-pct">100,00%<', html)


def test_idle_page_shows_idle_and_unreported_and_links(users, data, client, login):
    with time_machine.travel(ex.NOW, tick=False):
        login(users["kadis"])
        html = client.get("/aset/menganggur?region=35.11").get_data(as_text=True)
    assert re.search(r'data-testid="idle-count">2<', html)
    assert re.search(r'data-testid="idle-value">Rp 59.750.000<', html)
    assert re.search(r'data-testid="unreported-count">2<', html)
    assert re.search(r'data-testid="unreported-value">Rp 59.750.000<', html)
    assert "belum pernah melapor" in html
    assert "/aset/belum-melapor" in html


def test_a_holiday_of_the_office_calendar_is_not_a_working_day(users, data, db):
    """Tuesday 17 November made a holiday at /admin/sla: 4 working days are expected, Pujer's
    3 reports give 75 %, and the Saturday is still not a working day."""
    from assets_app.tickets import sla_config

    # a holiday of Kota Serang is not Bondowoso's
    sla_config.add_holiday(by=users["admin"], day="2026-11-19", name="HUT", region_code="36.73")
    db.session.commit()
    sla_config.forget_sla_config()
    assert len(reporting.working_days(ex.START, ex.END, "35.11.05")) == 5
    assert len(reporting.working_days(ex.START, ex.END, "36.73")) == 4
    sla_config.add_holiday(by=users["admin"], day="2026-11-17", name="Cuti bersama")
    db.session.commit()
    sla_config.forget_sla_config()
    stats = reporting.reporting_by_region(users["kadis"], "35.11", ex.START, ex.END, ex.TODAY)
    pujer = stats[ex.PUJER]
    assert (pujer.reported_days, pujer.working_days, pujer.reporting_pct) == (3, 4, 75.0)
    assert date(2026, 11, 17) not in reporting.working_days(ex.START, ex.END)


def test_the_dinas_is_a_service_point_where_it_holds_service_equipment(users, data, db):
    """The Dinas office files daily usage too (USAGE_REGION_LEVELS); once it holds a recording
    PC it is expected to report, and shows on the "Belum melapor" page as the Dinas."""
    from assets_app.assets import services
    from tests.assets.helpers import make_asset

    before = reporting.reporting_by_region(users["kadis"], "35.11", ex.START, ex.END, ex.TODAY)
    assert "35.11" not in before  # no service equipment at the Dinas yet
    with time_machine.travel(ex.NOW, tick=False):
        make_asset(region_code="35.11", category="perekaman")
        services.record_usage(
            users["petugas"], {"region_code": "35.11", "day": ex.START, "rekam": 12}
        )
        db.session.commit()
    dinas = reporting.reporting_by_region(users["kadis"], "35.11", ex.START, ex.END, ex.TODAY)[
        "35.11"
    ]
    assert (dinas.level, dinas.reported_days, dinas.working_days) == ("kabkota", 1, 5)
    assert len(
        reporting.reporting_by_region(users["kadis"], "35.11", ex.START, ex.END, ex.TODAY)
    ) == (ex.KECAMATAN + 1)


def test_the_latest_report_is_found_before_the_period_and_never_after_it(users, data):
    """The period's figures read the period's rows; "laporan terakhir" looks back over the
    whole history up to the period's end, never past it."""
    later = reporting.reporting_by_region(
        users["kadis"], "35.11", date(2026, 12, 7), date(2026, 12, 11), date(2026, 12, 11)
    )
    assert later[ex.PUJER].reported_days == 0 and later[ex.PUJER].working_days == 5
    assert later[ex.PUJER].last_report == date(2026, 11, 21)  # weeks before the period
    earlier = reporting.reporting_by_region(
        users["kadis"], "35.11", date(2026, 11, 2), date(2026, 11, 6), ex.TODAY
    )
    assert earlier[ex.PUJER].last_report is None  # its reports come after that period

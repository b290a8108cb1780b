"""One age of a ticket: calendar days in WIB (`tickets.stats.age_days`), the same on the home
page's "Tiket terbuka tertua" card, the kecamatan panel and the summaries."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine

from assets_app.tickets.queries import age_days, region_summary
from tests.tickets.helpers import file_ticket

FILED = datetime(2026, 11, 4, 16, 0, tzinfo=UTC)  # 4 Nov 23:00 WIB
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 25 Nov 08:00 WIB: 20 days 9 hours later


def test_age_is_calendar_days_in_wib():
    assert age_days(FILED, NOW) == 21
    assert age_days(FILED, datetime(2026, 11, 4, 16, 59, tzinfo=UTC)) == 0  # same WIB day
    assert age_days(FILED, datetime(2026, 11, 4, 17, 0, tzinfo=UTC)) == 1  # 00:00 WIB next day


def test_home_card_and_kecamatan_panel_say_the_same_age(users, client, login):
    with time_machine.travel(FILED, tick=False):
        ticket = file_ticket(users["camat"])
    with time_machine.travel(NOW, tick=False):
        login(users["kadis"])
        home = client.get("/beranda").get_data(as_text=True)
        panel = client.get("/wilayah/35.11.05").get_data(as_text=True)
        rows = region_summary(users["kadis"], now=NOW)
    assert 'data-testid="value-oldest_ticket_days">21 hari<' in home
    row = re.search(rf"{ticket.number}.*?(\d+) hari", panel, re.S)
    assert row and row.group(1) == "21"
    assert [r["oldest_days"] for r in rows] == [21]

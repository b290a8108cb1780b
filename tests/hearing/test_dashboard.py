"""The home-page dashboard: figures for every role within its scope, links, bounded queries."""

from __future__ import annotations

import pytest

from assets_app.extensions import db
from tests.hearing.helpers import make_asset
from tests.querycount import count_queries


@pytest.mark.parametrize("role", ["admin", "kadis", "petugas", "camat", "dprd"])
def test_home_shows_the_figures_of_the_scope(users, client, login, role):
    make_asset("35.11.05", price=10_000_000, status="tidak_digunakan")
    make_asset("35.11.06", price=30_000_000)
    make_asset("36.73.05", price=70_000_000)
    login(users[role])
    page = client.get("/beranda").get_data(as_text=True)
    assert 'data-testid="card-idle_value"' in page
    expected = {
        "admin": "Rp 110.000.000",  # the whole installation
        "kadis": "Rp 40.000.000",
        "petugas": "Rp 40.000.000",
        "dprd": "Rp 40.000.000",
        "camat": "Rp 10.000.000",  # own kecamatan only
    }[role]
    assert f'data-testid="value-assets_value">{expected}<' in page
    assert "data:image/svg+xml;base64," in page  # server-side charts
    assert "Rp 70.000.000" not in page or role == "admin"


def test_every_card_links_somewhere_that_opens(users, client, login):
    import re

    make_asset("35.11.05", status="tidak_digunakan")
    login(users["dprd"])
    page = client.get("/beranda").get_data(as_text=True)
    links = re.findall(r'<a class="card[^"]*"\s+href="([^"]+)"', page)
    assert len(links) >= 10
    for href in set(links):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_summary_page_focus_filters_rows(users, client, login):
    make_asset("35.11.05", status="tidak_digunakan")
    login(users["kadis"])
    page = client.get("/laporan/ringkasan?tampil=menganggur").get_data(as_text=True)
    assert page.count('<tr data-region="') == 1 and 'data-region="35.11.05"' in page
    bad = client.get("/laporan/ringkasan?dari=kemarin").get_data(as_text=True)
    assert "Tanggal mulai tidak valid" in bad


def test_home_runs_a_bounded_number_of_queries(users, client, login):
    login(users["dprd"])

    def queries() -> int:
        with count_queries(db.engine) as statements:
            assert client.get("/beranda").status_code == 200
        return len(statements)

    make_asset("35.11.01")
    small = queries()
    for i in range(60):
        make_asset(f"35.11.{i % 23 + 1:02d}", status="tidak_digunakan" if i % 4 else "gangguan")
    assert queries() == small
    assert small <= 60  # the whole home page, every domain's section included


@pytest.mark.parametrize(
    "path", ["/laporan/ringkasan", "/laporan/kabkota", "/laporan/rekap-harian"]
)
def test_the_area_select_offers_the_whole_installation_to_its_users(users, client, login, path):
    login(users["admin"])
    html = client.get(path).get_data(as_text=True)
    # first and chosen: submitting the form keeps the page on the whole installation
    assert '<option value="" selected>Seluruh instalasi</option>' in html, path
    login(users["petugas"])
    assert "Seluruh instalasi</option>" not in client.get(path).get_data(as_text=True)

"""Bounded pagination: a page number past the end never runs a deeper OFFSET."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.pagination import first_page, paginate
from assets_app.regions.models import Region
from tests.querycount import count_queries


def _stmt():
    return sa.select(Region).order_by(Region.code)


def test_page_beyond_the_last_shows_the_last_page(db, regions):
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Region))
    last = -(-total // 25)
    with count_queries(db.engine) as statements:
        page = paginate(_stmt(), 10**9, 25)
    assert page.page == last and page.pages == last
    assert len(page.items) == total - (last - 1) * 25 > 0
    assert page.items[-1].code == max(db.session.scalars(sa.select(Region.code)))
    assert len(statements) == 2


def test_api_page_beyond_the_last_is_empty_without_a_page_query(db, regions):
    with count_queries(db.engine) as statements:
        page = paginate(_stmt(), 10**9, 25, clamp=False)
    assert page.items == [] and page.page == 10**9 and page.total > 0
    assert len(statements) == 1  # the COUNT only


def test_first_page_of_a_grouped_statement_is_one_query_with_its_total(db, regions):
    """Groups (regions per parent) counted by the window, not by the LIMIT: the same page
    and total as `paginate`."""
    stmt = (
        sa.select(Region.parent_code, sa.func.count())
        .where(Region.parent_code.is_not(None))
        .group_by(Region.parent_code)
        .order_by(sa.func.count().desc(), Region.parent_code)
    )
    with count_queries(db.engine) as statements:
        page = first_page(stmt, 3)
    expected = paginate(stmt, 1, 3, scalars=False)
    assert expected.total > 3 and len(statements) == 1
    assert (page.total, page.page, page.pages) == (expected.total, 1, expected.pages)
    assert page.items == [tuple(row) for row in expected.items]
    nothing = first_page(stmt.where(Region.parent_code == "no such code"), 3)
    assert (nothing.items, nothing.total, nothing.pages) == ([], 0, 1)


def test_page_below_one_is_the_first(db, regions):
    assert paginate(_stmt(), -3, 10).page == 1


def test_asset_list_deep_page_number_is_answered(client, login, users):
    resp = login(users["petugas"]).get("/aset/?page=999999999")
    assert resp.status_code == 200

"""Pagination and sorting helpers shared by list pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from assets_app.extensions import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_args(default_per_page: int = 25, max_per_page: int = 200) -> tuple[int, int]:
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return max(page, 1), min(max(per_page, 1), max_per_page)


def paginate(
    stmt: sa.Select, page: int, per_page: int, *, scalars: bool = True, clamp: bool = True
) -> Page:
    """Runs one COUNT and one page query, whatever the size of the set. The OFFSET never
    passes the set, so a made-up `?page=999999` costs no more than the last page: a page
    beyond the last shows the last one (`clamp`, the web: old `?page=` links keep working
    when rows go away) or is empty without a page query (the API: a client reading pages
    until an empty one still stops)."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    last = max(1, -(-(total or 0) // per_page))
    if page > last and not clamp:
        return Page(items=[], total=total or 0, page=page, per_page=per_page)
    page = min(max(page, 1), last)
    page_stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(page_stmt)
    items = list(result.scalars().unique()) if scalars else list(result.all())
    return Page(items=items, total=total or 0, page=page, per_page=per_page)


def first_page(stmt: sa.Select, per_page: int) -> Page:
    """Page 1 of `stmt`'s rows and their total in one query: `count(*) OVER ()` is computed
    before the LIMIT. For a grouped statement, whose every group is built before the first
    row comes out anyway, that is half of `paginate`'s work (its COUNT builds them again);
    not for a list an index streams in order, whose LIMIT would stop early."""
    rows = db.session.execute(
        stmt.add_columns(sa.func.count().over().label("total_rows")).limit(per_page)
    ).all()
    total = rows[0][-1] if rows else 0
    return Page(items=[tuple(row[:-1]) for row in rows], total=total, page=1, per_page=per_page)


def page_of(items: list, page: int, per_page: int) -> Page:
    """One page of rows already in memory (a page past the end shows the last one)."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], total=len(items), page=page, per_page=per_page
    )


def sort_args(allowed: dict[str, sa.ColumnElement], default: str) -> tuple[str, list]:
    """`?sort=name` or `?sort=-name`; unknown keys fall back to the default."""
    key = request.args.get("sort", default)
    desc = key.startswith("-")
    name = key.lstrip("-")
    if name not in allowed:
        key, desc, name = default, default.startswith("-"), default.lstrip("-")
    col = allowed[name]
    return key, [col.desc() if desc else col.asc()]

"""The one place that turns a user's region scope into SQL.

Every query returning rows a user sees passes its region column through `scoped()` (or
`scope_clause()`); single objects are fetched with `get_scoped_or_404()`. A user with no region
(a whole-installation admin) sees everything; anyone else sees their region and its subtree.
"""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.errors import NotFound
from assets_app.extensions import db


def code_in_subtree(code: str | None, root: str | None) -> bool:
    if root is None:
        return True
    if code is None:
        return False
    return code == root or code.startswith(root + ".")


def ancestors(code: str) -> list[str]:
    """The codes above `code`: "35.11.05" → ["35", "35.11"] (an IN list, not a reverse LIKE)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def user_scope(user) -> str | None:
    return getattr(user, "region_code", None)


def in_scope(user, code: str | None) -> bool:
    return code_in_subtree(code, user_scope(user))


def subtree_range(column, root: str) -> sa.ColumnElement[bool]:
    """`root` and every code below it, as one range a b-tree index on `column` serves.

    `LIKE 'root.%'` is served by no index (PostgreSQL's collation is C.UTF-8, not "C", and
    SQLite's LIKE is case-insensitive), so it scanned whole tables. Codes are digits and dots
    (foreign keys to `regions`), and '.' < '/' < '0' in both engines' collations, so
    ["35.11", "35.11/") holds exactly "35.11" and its descendants "35.11.…": "35.1" sorts
    before and "35.110" after. One range, not `= root OR a range`: SQLite plans an OR of the
    leading key column as a skip-scan over every region of the index.
    """
    return sa.and_(column >= root, column < root + "/")


def subtree_clause(column, root: str | None) -> sa.ColumnElement[bool]:
    if root is None:
        return sa.true()
    return subtree_range(column, root)


def scope_clause(column, user) -> sa.ColumnElement[bool]:
    return subtree_clause(column, user_scope(user))


def area_clause(column, user, region: str | None = None) -> sa.ColumnElement[bool]:
    """`column` inside the user's scope and, optionally, a region filter inside it.

    A filter region outside the scope yields nothing rather than leaking rows.
    """
    return sa.and_(scope_clause(column, user), subtree_clause(column, region))


def scoped(stmt: sa.Select, column, user, region: str | None = None) -> sa.Select:
    """Filters `stmt` by `area_clause`."""
    return stmt.where(area_clause(column, user, region))


def get_scoped_or_404(model, ident, user, column_name: str = "region_code"):
    obj = db.session.get(model, ident)
    if obj is None or not in_scope(user, getattr(obj, column_name)):
        raise NotFound()
    return obj


def check_region_param() -> None:
    """A `?region=` outside the user's scope is a 404, on every page and API list alike (a
    list never falls back silently to the whole scope, and an export is never labelled with
    a region whose rows it does not hold). Called by `require` and `require_api` once the
    role is allowed, so every view checks it and a forbidden role still gets its 403."""
    from flask import request
    from flask_login import current_user

    codes = [c.strip() for c in request.args.getlist("region") if c and c.strip()]
    if not codes or not current_user or not current_user.is_authenticated:
        return
    for code in codes:
        if not in_scope(current_user, code):
            raise NotFound(errors={"region": [f"Wilayah {code} di luar cakupan Anda."]})

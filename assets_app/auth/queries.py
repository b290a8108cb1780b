"""Users and API tokens, read-only: the admin's user list, one user, one's own tokens."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.auth.models import ApiToken, User
from assets_app.common.errors import NotFound
from assets_app.common.pagination import Page, paginate
from assets_app.extensions import db
from assets_app.regions.scope import code_in_subtree, scope_clause


def list_users(by: User, q: str | None, role: str | None, page: int, per_page: int) -> Page:
    """The users inside `by`'s scope, by username; `q` matches username or name."""
    stmt = sa.select(User).order_by(User.username)
    if by.region_code:
        stmt = stmt.where(scope_clause(User.region_code, by))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(User.username).like(like), sa.func.lower(User.name).like(like))
        )
    if role:
        stmt = stmt.where(User.role == role)
    return paginate(stmt, page, per_page)


def get_user(by: User, user_id: int) -> User:
    """A user `by` may administer (inside their scope), else NotFound."""
    user = db.session.get(User, user_id)
    if user is None or (by.region_code and not code_in_subtree(user.region_code, by.region_code)):
        raise NotFound()
    return user


def list_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc())
        )
    )

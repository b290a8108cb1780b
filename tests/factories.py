"""Plain factory functions: sensible defaults, committed so the test client sees them."""

from __future__ import annotations

from assets_app.extensions import db

PASSWORD = "kata-sandi-uji-123"


def make_user(
    role: str,
    region_code: str | None,
    *,
    username: str | None = None,
    password: str = PASSWORD,
    name: str | None = None,
    active: bool = True,
):
    from assets_app.auth.services import create_user

    user = create_user(
        username or f"{role}.{(region_code or 'all').replace('.', '-')}",
        role=role,
        password=password,
        name=name or f"Pengguna {role}",
        region_code=region_code,
    )
    user.active = active
    db.session.commit()
    return user

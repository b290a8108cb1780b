"""Demo: one user per role (see DEMO_USERS); an existing user is never touched."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.auth import DEMO_PASSWORD, DEMO_USERS
from assets_app.auth.models import User
from assets_app.auth.services import create_user
from assets_app.extensions import db


def load_demo() -> str:
    existing = set(db.session.scalars(sa.select(User.username)))
    created = []
    for username, role, region, name in DEMO_USERS:
        if username in existing:
            continue  # never overwrite a password someone may have changed
        create_user(username, role=role, password=DEMO_PASSWORD, name=name, region_code=region)
        created.append(username)
    if not created:
        return "sudah ada, tidak diubah"
    return f"dibuat {', '.join(created)} — kata sandi awal: {DEMO_PASSWORD}"

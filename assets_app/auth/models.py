from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.common.permissions import ROLE_LABELS
from assets_app.db import Base, UTCDateTime, utcnow
from assets_app.regions.models import Region


class User(UserMixin, Base):
    __tablename__ = "users"
    __audit__ = True
    __audit_secret__ = frozenset({"password_hash"})
    __audit_ignore__ = frozenset({"last_login_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(10))
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session cookie (see get_id); raising it ends all of the user's sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Contact for notices (assets_app/notify): e-mail and a WhatsApp number stored as +62…
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))

    region: Mapped[Region | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the id and the session version, so a
        cookie saved before logout, a password change or "akhiri semua sesi" stops working."""
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def scope_label(self) -> str:
        return self.region.display_name if self.region else "Seluruh instalasi"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, the prefix identifies it in lists."""

    __tablename__ = "api_tokens"
    __audit__ = True
    __audit_secret__ = frozenset({"token_hash"})
    __audit_ignore__ = frozenset({"last_used_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def region_code(self) -> str | None:
        return self.user.region_code if self.user else None


class RateCounter(Base):
    """A failure counter of the login and password-change limits, in the database so that
    every server process counts the same attempts (`auth/throttle.py`; Redis instead when
    `RATELIMIT_STORAGE_URI`/`REDIS_URL` is set). `key` is a hash: typed usernames are not kept."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

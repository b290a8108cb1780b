"""Users, passwords and API tokens. Every write goes through here (web, CLI and tests)."""

from __future__ import annotations

import hashlib
import re
import secrets
from contextlib import suppress
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.orm import joinedload

from assets_app.auth import throttle
from assets_app.auth.models import ApiToken, User
from assets_app.common.errors import DomainError, Forbidden, ValidationFailed
from assets_app.common.permissions import ROLES
from assets_app.common.rows import own_row, stamp_once
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import code_in_subtree

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,40}$")
MIN_PASSWORD = 10
# Roles that must sit on a kecamatan: a camat reports for one service point.
KECAMATAN_ROLES = {"camat"}


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("PASSWORD_HASH_PARAMS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of nothing in particular, so unknown usernames cost as much time as wrong passwords.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        key = repr(current_app.config.get("PASSWORD_HASH_PARAMS"))
        _DUMMY_HASH.setdefault(key, hash_password(secrets.token_hex(8)))
        with suppress(VerificationError):
            _hasher().verify(_DUMMY_HASH[key], password)
        return None
    if not check_password(user, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


class TooManyAttempts(DomainError):
    """A login or password-change key is locked; the message says for how long and is the
    same whether the account exists or not."""

    status_code = 429

    def __init__(self, seconds: int, field: str = "_schema", what: str = "masuk"):
        self.seconds = seconds
        super().__init__(
            errors={
                field: [
                    f"Terlalu banyak percobaan {what} yang gagal. "
                    f"Coba lagi dalam {throttle.wait_text(seconds)}."
                ]
            }
        )


def login(username: str, password: str, ip: str | None) -> User | None:
    """`authenticate` under the login limits (auth/throttle.py): raises TooManyAttempts while
    this username from this IP, or this IP, is locked; counts a failure against both."""
    pair, per_ip = throttle.login_keys(username, ip)
    store = throttle.store()
    wait = store.locked_for((pair, per_ip))
    if wait:
        raise TooManyAttempts(wait)
    user = authenticate(username, password)
    if user is None:
        store.hit(pair, throttle.LOGIN_PAIR)
        store.hit(per_ip, throttle.LOGIN_IP)
        return None
    store.clear(pair)
    return user


def end_sessions(user: User) -> None:
    """Ends every session of `user`: each session cookie carries the version it was issued
    with (`User.get_id`), and the user loader refuses any other. A request that must stay
    logged in logs in again afterwards (`login_user`)."""
    _bump_session_version(user)
    db.session.flush()


def _bump_session_version(user: User) -> None:
    # A plain increment, so the audit log shows it; two at once still end every older cookie.
    user.session_version = (user.session_version or 0) + 1


def _validate_password(password: str | None, field: str = "password") -> None:
    if not password or len(password) < MIN_PASSWORD:
        raise ValidationFailed(errors={field: [f"Kata sandi minimal {MIN_PASSWORD} karakter."]})


def _validate_role_region(role: str, region_code: str | None, by: User | None) -> Region | None:
    errors: dict[str, list[str]] = {}
    if role not in ROLES:
        errors["role"] = [f"Peran harus salah satu dari: {', '.join(ROLES)}."]
    region = None
    if region_code:
        region = db.session.get(Region, region_code)
        if region is None:
            errors["region_code"] = [
                f"Kode wilayah {region_code} tidak dikenal (muat dulu dengan `flask regions load`)."
            ]
    elif role != "admin":
        errors["region_code"] = ["Wilayah wajib diisi untuk peran selain admin."]
    if region is not None and role in KECAMATAN_ROLES and region.level != "kecamatan":
        errors["region_code"] = ["Peran camat harus bercakupan satu kecamatan."]
    # An admin may only grant scopes inside their own.
    if (
        by is not None
        and "region_code" not in errors
        and by.region_code
        and not code_in_subtree(region_code, by.region_code)
    ):
        errors["region_code"] = [
            "Wilayah di luar cakupan Anda; Anda hanya dapat memberi cakupan di dalam wilayah Anda."
        ]
    if errors:
        raise ValidationFailed(errors=errors)
    return region


def create_user(
    username: str,
    *,
    role: str,
    password: str,
    name: str | None = None,
    region_code: str | None = None,
    by: User | None = None,
) -> User:
    username = (username or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = [
            "Nama pengguna 3–40 karakter: huruf kecil, angka, titik, garis bawah atau minus."
        ]
    elif db.session.scalar(sa.select(User.id).where(User.username == username)):
        errors["username"] = [f"Nama pengguna {username} sudah dipakai."]
    if errors:
        raise ValidationFailed(errors=errors)
    _validate_password(password)
    region_code = (region_code or "").strip() or None
    _validate_role_region(role, region_code, by)
    user = User(
        username=username,
        name=(name or username).strip()[:120],
        role=role,
        region_code=region_code,
        password_hash=hash_password(password),
        active=True,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    user: User, *, name: str, role: str, region_code: str | None, active: bool, by: User
) -> User:
    region_code = (region_code or "").strip() or None
    _validate_role_region(role, region_code, by)
    if user.id == by.id and (not active or role != by.role):
        raise Forbidden("Anda tidak dapat menonaktifkan atau mengubah peran akun Anda sendiri.")
    if user.active and not active:
        _bump_session_version(user)  # deactivation ends every session
    user.name = name.strip()[:120] or user.username
    user.role = role
    user.region_code = region_code
    user.active = active
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, by: User) -> User:
    """Activates or deactivates an account (never one's own)."""
    return update_user(
        user, name=user.name, role=user.role, region_code=user.region_code, active=active, by=by
    )


def set_password(user: User, new_password: str, *, field: str = "password") -> None:
    """Sets a password (own change or an admin's reset) and ends every session of the user."""
    _validate_password(new_password, field)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    _bump_session_version(user)
    db.session.flush()


def password_change_wait(user: User) -> int:
    """Seconds until `user` may try the current password again on /akun/sandi (0: now)."""
    return throttle.store().locked_for((throttle.password_key(user.id),))


def change_own_password(user: User, current: str, new: str, confirm: str) -> None:
    """Checks the current password under its limit (PASSWORD_CHANGE_LIMIT wrong guesses per
    window), then sets the new one: every other session of the user ends; the caller
    re-issues its own (`login_user`)."""
    key = throttle.password_key(user.id)
    wait = password_change_wait(user)
    if wait:
        raise TooManyAttempts(wait, "current", "kata sandi")
    if not check_password(user, current):
        throttle.store().hit(key, throttle.PASSWORD_CHANGE)
        raise ValidationFailed(errors={"current": ["Kata sandi saat ini salah."]})
    # Before this request writes anything: the counter has its own transaction.
    throttle.store().clear(key)
    if new != confirm:
        raise ValidationFailed(errors={"confirm": ["Konfirmasi kata sandi tidak sama."]})
    set_password(user, new, field="new")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "token") -> str:
    """Creates a token and returns it in clear text: the only time anyone sees it."""
    token = "ad_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            name=(name or "token")[:80],
            prefix=token[:10],
            token_hash=_token_hash(token),
        )
    )
    db.session.flush()
    return token


def revoke_token(user: User, token_id: int) -> ApiToken:
    return stamp_once(own_row(ApiToken, token_id, user, "Token tidak ditemukan."), "revoked_at")


def user_for_token(token: str) -> User | None:
    if not token:
        return None
    # the token and its user in one query: every API request reads both
    tok = db.session.scalar(
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None))
    )
    if tok is None or not tok.user.active:
        return None
    now = utcnow()
    # Writing on every call would turn each API read into a write; a minute's precision is enough.
    # Bookkeeping, not part of the request's unit of work: its own short transaction, so the
    # use is recorded even when the request itself is refused and rolled back.
    if tok.last_used_at is None or now - tok.last_used_at > timedelta(minutes=1):
        with db.engine.begin() as conn:
            conn.execute(sa.update(ApiToken).where(ApiToken.id == tok.id).values(last_used_at=now))
    return tok.user

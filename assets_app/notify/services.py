"""Notices: who wants what on which channel, writing the outbox, delivering it with retries.

Every notice is written first (one `aplikasi` row per recipient, plus one row per external
channel the recipient wants and has a contact for) in the caller's transaction; delivery is a
separate step (`deliver_due`, run by `flask jobs run`) so a mail server or gateway that is down
loses nothing: the row stays `antri` and is tried again with exponential backoff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from assets_app.auth.models import User
from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.common.permissions import ROLES
from assets_app.common.rows import own_row, stamp_once
from assets_app.common.timeutil import utcnow
from assets_app.common.validate import Invalid
from assets_app.extensions import db
from assets_app.notify import channels, contact, vocab
from assets_app.notify.models import ChannelPreference, OutboxMessage, RoleDefault
from assets_app.regions.models import region_chain

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=2)
BACKOFF_MAX = timedelta(hours=6)
# A claimed row is someone's for this long; a run that died mid-send frees it afterwards.
CLAIM_LEASE = timedelta(minutes=10)
DEFAULT_CHANNELS = frozenset(vocab.OPTIONAL_CHANNELS)


# --- contact and preferences ---------------------------------------------------------------


def update_contact(user: User, *, email=None, phone=None) -> User:
    """Validates and stores a user's e-mail and WhatsApp number (blank clears them)."""
    errors: dict[str, list[str]] = {}
    clean = {}
    for name, parse, raw in (
        ("email", contact.parse_email, email),
        ("phone", contact.parse_phone, phone),
    ):
        try:
            clean[name] = parse(raw)
        except Invalid as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationFailed(errors=errors)
    user.email, user.phone = clean["email"], clean["phone"]
    db.session.flush()
    return user


def _join(chosen: Iterable[str]) -> str:
    return ",".join(c for c in vocab.OPTIONAL_CHANNELS if c in set(chosen))


def _split(text: str | None) -> frozenset[str]:
    return frozenset(c for c in (text or "").split(",") if c in vocab.OPTIONAL_CHANNELS)


def _check_choices(choices: Mapping[str, Iterable[str]]) -> None:
    bad = [k for k in choices if k not in vocab.KINDS]
    bad += [c for chosen in choices.values() for c in chosen if c not in vocab.OPTIONAL_CHANNELS]
    if bad:
        raise ValidationFailed(errors={"channels": [f"Pilihan tidak dikenal: {', '.join(bad)}."]})


def set_preferences(user: User, choices: Mapping[str, Iterable[str]]) -> None:
    """`choices` {kind: channels}: the user's own channels for each kind given."""
    _check_choices(choices)
    for kind, chosen in choices.items():
        row = db.session.get(ChannelPreference, (user.id, kind))
        if row is None:
            row = ChannelPreference(user_id=user.id, kind=kind)
            db.session.add(row)
        row.channels = _join(chosen)
    db.session.flush()


def set_role_defaults(role: str, choices: Mapping[str, Iterable[str]]) -> None:
    if role not in ROLES:
        raise ValidationFailed(errors={"role": [f"Peran {role} tidak dikenal."]})
    _check_choices(choices)
    for kind, chosen in choices.items():
        row = db.session.get(RoleDefault, (role, kind))
        if row is None:
            row = RoleDefault(role=role, kind=kind)
            db.session.add(row)
        row.channels = _join(chosen)
    db.session.flush()


def role_defaults(role: str) -> dict[str, frozenset[str]]:
    rows = db.session.scalars(sa.select(RoleDefault).where(RoleDefault.role == role))
    saved = {r.kind: _split(r.channels) for r in rows}
    return {k: saved.get(k, DEFAULT_CHANNELS) for k in vocab.KINDS}


def preferences(user: User) -> dict[str, frozenset[str]]:
    """{kind: channels} in force for the user: own choice, else the role's default, else all."""
    own = db.session.scalars(
        sa.select(ChannelPreference).where(ChannelPreference.user_id == user.id)
    )
    mine = {r.kind: _split(r.channels) for r in own}
    defaults = role_defaults(user.role)
    return {k: mine.get(k, defaults[k]) for k in vocab.KINDS}


def configured_channels() -> set[str]:
    cfg = current_app.config
    found = set()
    if cfg.get("MAIL_SERVER"):
        found.add("email")
    if cfg.get("NOTIFY_WEBHOOK_URL"):
        found.add("whatsapp")
    return found


def address_of(user: User, channel: str) -> str | None:
    return {"email": user.email, "whatsapp": user.phone}.get(channel)


# --- writing the outbox --------------------------------------------------------------------


def public_url(path: str | None) -> str | None:
    """A path inside the app → an absolute link for messages read outside it."""
    if not path:
        return None
    if urlsplit(path).scheme:
        return path
    from assets_app.core.public_url import cli_base_url

    base = cli_base_url()
    return base + (path if path.startswith("/") else "/" + path)


def base_url_warning() -> str | None:
    """A warning for stderr when message links would not reach anyone."""
    from assets_app.core.public_url import warning

    return warning()


def send(
    user_ids: Iterable[int | None],
    *,
    kind: str,
    subject: str,
    body: str = "",
    link: str | None = None,
    related: tuple[str, int] | None = None,
    dedupe: str | None = None,
    exclude: int | None = None,
    at: datetime | None = None,
    channels_only: Iterable[str] | None = None,
    force_channels: bool = False,
) -> int:
    """Writes the notice for each recipient; returns how many recipients got a new notice.

    With `dedupe` (a key naming what the notice is about, e.g. `cert:12:30`) a recipient who
    already has that notice gets nothing: a job may run again without sending twice.
    `force_channels` (the test message) uses every configured channel, whatever the
    preferences."""
    ids = sorted({u for u in user_ids if u is not None and u != exclude})
    if not ids:
        return 0
    now = at or utcnow()
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids), User.active.is_(True)))
    configured = configured_channels()
    existing: set[str] = set()
    if dedupe:
        existing = set(
            db.session.scalars(
                sa.select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.like(dedupe.replace("%", "") + "|%")
                )
            )
        )
    count = 0
    for user in users:
        mine = preferences(user).get(kind, DEFAULT_CHANNELS)
        wanted = configured if force_channels else mine & configured
        targets = ["aplikasi", *(c for c in vocab.OPTIONAL_CHANNELS if c in wanted)]
        if channels_only is not None:
            targets = [c for c in targets if c in set(channels_only)]
        added = False
        for channel in targets:
            if channel != "aplikasi" and not address_of(user, channel):
                continue
            key = f"{dedupe}|{user.id}|{channel}" if dedupe else None
            if key and key in existing:
                continue
            sent = channel == "aplikasi"
            db.session.add(
                OutboxMessage(
                    user_id=user.id,
                    channel=channel,
                    kind=kind,
                    subject=subject[:200],
                    body=body,
                    link=link,
                    related_type=related[0] if related else None,
                    related_id=related[1] if related else None,
                    status="terkirim" if sent else "antri",
                    next_attempt_at=None if sent else now,
                    sent_at=now if sent else None,
                    dedupe_key=key,
                    created_at=now,
                )
            )
            added = True
        count += added
    db.session.flush()
    return count


# --- delivering ----------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{self.sent} terkirim, {self.failed} gagal (dicoba lagi), {self.gave_up} menyerah."


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def due_ids(now: datetime, limit: int = 200) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.id)
            .where(
                OutboxMessage.status == "antri",
                OutboxMessage.channel != "aplikasi",
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Conditional update: only one process takes a due row (attempts + 1, leased)."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        return None
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "antri",
            OutboxMessage.attempts == row.attempts,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.session.refresh(row)
    return row


def deliver_one(row: OutboxMessage, now: datetime) -> str:
    """Sends a claimed row; returns its new status. Never raises for a delivery failure."""
    try:
        channels.deliver(current_app.config, row, row.user, public_url(row.link))
    except channels.DeliveryError as exc:
        row.last_error = str(exc)[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "gagal"
            row.next_attempt_at = None
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        db.session.flush()
        return row.status if row.status == "gagal" else "coba_lagi"
    row.status = "terkirim"
    row.sent_at = now
    row.next_attempt_at = None
    row.last_error = None
    db.session.flush()
    return "terkirim"


def resend(by: User, message_id: int) -> OutboxMessage:
    """Admin's "kirim ulang": the row waits again and goes on the next delivery run."""
    from assets_app.notify.queries import outbox_row_in_scope

    row = outbox_row_in_scope(by, message_id)
    if row.channel == "aplikasi":
        raise ValidationFailed("Notifikasi aplikasi tidak dikirim ulang; ia sudah ada di aplikasi.")
    row.status = "antri"
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.last_error = None
    db.session.flush()
    return row


# --- the in-app list -----------------------------------------------------------------------


def mark_read(user: User, message_id: int) -> OutboxMessage:
    row = own_row(OutboxMessage, message_id, user, "Notifikasi tidak ditemukan.")
    if row.channel != "aplikasi":
        raise NotFound("Notifikasi tidak ditemukan.")
    return stamp_once(row, "read_at")


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.channel == "aplikasi",
            OutboxMessage.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


def recipients(region_code: str, roles: Iterable[str]) -> list[int]:
    """Active users of these roles whose scope contains the region (whole-installation admins
    are not paged for every kecamatan)."""
    stmt = sa.select(User.id).where(
        User.active.is_(True),
        User.role.in_(list(roles)),
        User.region_code.in_(region_chain(region_code)),
    )
    return list(db.session.scalars(stmt.order_by(User.id)))

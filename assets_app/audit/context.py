"""Who is acting: the logged-in user in a request, or a label set by the CLI."""

from __future__ import annotations

from contextvars import ContextVar

from flask import has_request_context, request

_cli_actor: ContextVar[str | None] = ContextVar("cli_actor", default=None)


def set_cli_actor(label: str) -> None:
    _cli_actor.set(label)


def current_actor() -> tuple[int | None, str, str | None]:
    """(user id, label, ip)."""
    if has_request_context():
        from flask_login import current_user

        ip = request.remote_addr
        if current_user and getattr(current_user, "is_authenticated", False):
            return current_user.id, current_user.username, ip
        return None, "anonim", ip
    return None, _cli_actor.get() or "sistem", None

"""Domain errors raised by services and mapped to messages by views, API and CLI."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. `errors` maps a field name (or "_schema") to Indonesian messages."""

    status_code = 400

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.errors = dict(errors or {})
        if message and not self.errors:
            self.errors["_schema"] = [message]
        super().__init__(message or "; ".join(m for ms in self.errors.values() for m in ms))

    @property
    def message(self) -> str:
        return str(self)


class BadInput(DomainError):
    """The request itself is malformed (a parameter out of range, a control character)."""

    status_code = 400


class ValidationFailed(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403

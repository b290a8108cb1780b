"""Small helpers for pushing service errors back onto WTForms fields."""

from __future__ import annotations

from flask import flash

from assets_app.common.errors import DomainError


def apply_errors(form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Attach each message to its field so the user sees it beside what they typed."""
    field_map = field_map or {}
    for key, messages in error.errors.items():
        name = field_map.get(key, key)
        field = getattr(form, name, None) if form is not None else None
        if field is not None and hasattr(field, "errors"):
            errs = list(field.errors) if isinstance(field.errors, list | tuple) else []
            field.errors = errs + list(messages)
        else:
            for m in messages:
                flash(m, "danger")

"""The write-view helper: validate the form, call the service, keep what the user typed.

    form = AssetForm()
    asset = submitted(form, lambda: services.create_asset(current_user, form_data(form)))
    if asset:
        flash(...)
        return redirect(...)
    return render_template(..., form=form)

A `DomainError` from the service puts each message beside its field and discards the
request's writes (`common.uow.discard`); the request commits once at its end otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from assets_app.common.errors import DomainError, Forbidden, NotFound
from assets_app.common.uow import discard

T = TypeVar("T")

_NOT_DATA = ("csrf_token", "submit")


def form_data(form) -> dict:
    """The form's typed values without the CSRF token and the button."""
    return {k: v for k, v in form.data.items() if k not in _NOT_DATA}


def apply_errors(form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Attach each message to its field so the user sees it beside what they typed; messages
    without a field (or with no form) are flashed."""
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


def refused(form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    """A service said no: nothing of this request is saved, the messages go on the form."""
    discard()
    apply_errors(form, error, field_map)


def submitted(
    form,
    action: Callable[[], T],
    *,
    field_map: dict[str, str] | None = None,
    validate: bool = True,
) -> T | None:
    """Runs `action()` when the form was posted and is valid; returns its result (or True
    when it returns None). Returns None when the form was not posted, is invalid, or the
    service raised `DomainError` (then the writes are discarded and the errors shown).
    `NotFound` and `Forbidden` are not about the form: they stay their own 404/403 page.
    `validate=False` when the caller has validated the form already."""
    if validate and not form.validate_on_submit():
        return None
    try:
        result = action()
    except (NotFound, Forbidden):
        raise
    except DomainError as e:
        refused(form, e, field_map)
        return None
    return True if result is None else result

"""Schema fields that several API modules declare the same way."""

from __future__ import annotations

from collections.abc import Iterable

import marshmallow as ma

from assets_app.common.validate import MAX_INT32, Invalid, check_date_window


def one_of(codes: Iterable[str], **kwargs) -> ma.fields.String:
    """A text field that must be one of `codes` (a vocabulary's keys), e.g. a list filter."""
    return ma.fields.String(validate=ma.validate.OneOf(list(codes)), **kwargs)


PAGING = frozenset({"page", "per_page", "sort"})


def list_filters(args: dict) -> dict:
    """A list endpoint's loaded query arguments without paging and sorting: its filters, named
    as the query function's keywords."""
    return {k: v for k, v in args.items() if k not in PAGING}


class Int(ma.fields.Integer):
    """An integer that fits the column it is compared with: by default a 32-bit id or count
    (`max=MAX_INT64` for money). Every integer field of the API is one of these."""

    def __init__(self, *args, max: int = MAX_INT32, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_abs = max

    def _validated(self, value):
        number = super()._validated(value)
        if number is not None and abs(number) > self.max_abs:
            raise ma.ValidationError(f"Di luar rentang yang diizinkan (maksimal {self.max_abs}).")
        return number


class Day(ma.fields.Date):
    """A date within the app's window (1945-01-01 … 2100-12-31), as `parse_date` checks it."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _in_window(super()._deserialize(value, attr, data, **kwargs))


class Moment(ma.fields.DateTime):
    """A date and time within the same window."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _in_window(super()._deserialize(value, attr, data, **kwargs))


def _in_window(value):
    try:
        return check_date_window(value)
    except Invalid as exc:
        raise ma.ValidationError(str(exc)) from None

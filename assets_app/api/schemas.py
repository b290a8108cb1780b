"""Schema fields that several API modules declare the same way."""

from __future__ import annotations

from collections.abc import Iterable

import marshmallow as ma


def one_of(codes: Iterable[str], **kwargs) -> ma.fields.String:
    """A text field that must be one of `codes` (a vocabulary's keys), e.g. a list filter."""
    return ma.fields.String(validate=ma.validate.OneOf(list(codes)), **kwargs)

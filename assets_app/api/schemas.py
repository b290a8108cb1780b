"""Schema fields that several API modules declare the same way."""

from __future__ import annotations

from collections.abc import Iterable

import marshmallow as ma


def one_of(codes: Iterable[str], **kwargs) -> ma.fields.String:
    """A text field that must be one of `codes` (a vocabulary's keys), e.g. a list filter."""
    return ma.fields.String(validate=ma.validate.OneOf(list(codes)), **kwargs)


PAGING = frozenset({"page", "per_page", "sort"})


def list_filters(args: dict) -> dict:
    """A list endpoint's loaded query arguments without paging and sorting: its filters, named
    as the query function's keywords."""
    return {k: v for k, v in args.items() if k not in PAGING}

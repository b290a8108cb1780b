"""Bounds on what a request may carry before any view sees it (web and API alike).

- `<int:…>` in a URL matches only 0 … 2³¹−1 (the id columns are 32-bit): a larger id is a 404
  from the router, never an integer overflow in the database.
- Query parameters (and form values) that name an id or a page (`page`, `per_page`, `id`,
  `…_id`, `hari`, `year`) must fit in 32 bits: a larger one is a 400 naming the parameter.
- A query parameter with a control character, NUL or lone surrogate is a 400 naming it; so is
  a NUL in a form value (PostgreSQL cannot hold or compare it). Other control characters in a
  form are refused by the typed form fields, beside the field.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from assets_app.common.errors import BadInput, NotFound
from assets_app.common.validate import MAX_INT32, forbidden_char

INT_PARAMS = frozenset({"page", "per_page", "id"})
# Parameters that become dates or day counts: a narrower window than 32 bits.
RANGES = {"hari": (0, 36_500), "year": (1945, 2100), "tahun": (1945, 2100)}
_INTEGER = re.compile(r"^\s*[-+]?\d+\s*$")


class BoundedIntConverter(IntegerConverter):
    """The app's `int` converter: at most what an id column holds."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT32)
        super().__init__(map, *args, **kwargs)


def param_range(name: str) -> tuple[int, int] | None:
    if name in RANGES:
        return RANGES[name]
    if name in INT_PARAMS or name.endswith("_id"):
        return (-MAX_INT32, MAX_INT32)
    return None


def check_request() -> None:
    """Raises BadInput (400) for the first parameter that no view may be handed; a path with
    a control character (`/wilayah/%00`) names nothing that exists: 404."""
    if forbidden_char(request.path) is not None:
        raise NotFound()
    for name, value in request.args.items(multi=True):
        _check_value(name, value, strict=True)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, value in request.form.items(multi=True):
            _check_value(name, value, strict=False)


def _check_value(name: str, value: str, *, strict: bool) -> None:
    bad = forbidden_char(name, allow_cr=True)
    if bad is None:
        bad = (
            forbidden_char(value, allow_cr=True)
            if strict
            else ("\x00" if "\x00" in value else None)
        )
    if bad is not None:
        label = name if forbidden_char(name, allow_cr=True) is None else "?"
        raise BadInput(
            errors={
                label: [
                    f"Parameter '{label}' berisi karakter kendali yang tidak diizinkan "
                    f"(U+{ord(bad):04X})."
                ]
            }
        )
    bounds = param_range(name)
    if bounds and _INTEGER.match(value) and not _within(value, *bounds):
        low, high = bounds
        allowed = f"maksimal {high}" if low < 0 else f"{low}–{high}"
        raise BadInput(
            errors={name: [f"Parameter '{name}' di luar rentang yang diizinkan ({allowed})."]}
        )


def _within(value: str, low: int, high: int) -> bool:
    if len(value.strip().lstrip("+-").lstrip("0")) > 12:  # no int() of a huge digit string
        return False
    return low <= int(value) <= high


def init_app(app: Flask) -> None:
    """Before the blueprints are registered: rules compile their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(check_request)

"""The business checks every blanko verb shares: permission, quantities, moments, notes and
stock locations. Values arrive typed (forms and API schemas parse them); these check the
ledger's rules and collect Indonesian messages per field into `errors`."""

from __future__ import annotations

from datetime import datetime, timedelta

from assets_app.blanko.models import LOCATION_LEVELS
from assets_app.blanko.queries import Location, get_location
from assets_app.common.errors import Forbidden
from assets_app.common.formatting import number
from assets_app.common.permissions import can
from assets_app.common.timeutil import wib_local_to_utc
from assets_app.regions.scope import in_scope

MAX_QUANTITY = 10_000_000
FUTURE_SKEW = timedelta(minutes=10)


def require(by, action: str) -> None:
    if not can(by, action):
        raise Forbidden("Peran Anda tidak diizinkan melakukan tindakan ini.")


def is_receiver(by, to_region: str) -> bool:
    """Whether `by` works at the destination itself (the camat of that kecamatan; for a
    return, the Dinas of that kab/kota): only they confirm a receipt in their own name."""
    return getattr(by, "region_code", None) == to_region


def _err(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def quantity(value, errors: dict, field: str = "quantity", allow_zero=False) -> int | None:
    """A number of cards: a whole number, above zero (or zero when `allow_zero`)."""
    if value is None:
        _err(errors, field, "Jumlah wajib diisi.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        _err(errors, field, "Jumlah harus berupa bilangan bulat.")
        return None
    if value < (0 if allow_zero else 1):
        _err(
            errors,
            field,
            "Jumlah tidak boleh negatif." if allow_zero else "Jumlah harus lebih dari 0.",
        )
        return None
    if value > MAX_QUANTITY:
        _err(errors, field, f"Jumlah paling banyak {number(MAX_QUANTITY)}.")
        return None
    return value


def moment(
    value: datetime | None,
    errors: dict,
    field: str,
    now: datetime,
    not_before: datetime | None = None,
) -> datetime | None:
    """When something happened (aware, or naive WIB; None = now): not in the future, not
    before the movement it refers to."""
    when = now if value is None else wib_local_to_utc(value)
    if when > now + FUTURE_SKEW:
        _err(errors, field, "Waktu tidak boleh di masa depan.")
        return None
    if when.year < 2000:
        _err(errors, field, "Waktu terlalu lampau.")
        return None
    # Forms give minutes only: a receipt typed in the minute of dispatch is not "before" it.
    if not_before is not None and when < not_before.replace(second=0, microsecond=0):
        _err(errors, field, "Waktu tidak boleh sebelum waktu mutasi yang dirujuk.")
        return None
    return when


def text(
    value: str | None, errors: dict, field: str, max_len: int, required_msg: str | None = None
) -> str | None:
    """A reference or note: `required_msg` when it must be given, at most `max_len` long."""
    value = value.strip() if value else None  # API strings arrive as sent
    if not value:
        if required_msg:
            _err(errors, field, required_msg)
        return None
    if len(value) > max_len:
        _err(errors, field, f"Maksimal {max_len} karakter.")
        return None
    return value


def location(
    code: str | None, by, field: str, errors: dict, levels=LOCATION_LEVELS, required=True
) -> Location | None:
    """A stock location of one of `levels` inside the user's scope."""
    code = code.strip() if code else None
    if not code:
        if required:
            _err(errors, field, "Lokasi wajib diisi.")
        return None
    loc = get_location(code)
    if loc is None:
        _err(
            errors,
            field,
            f"Kode wilayah {code} bukan lokasi blanko (gudang Dinas kab/kota atau kecamatan).",
        )
        return None
    if not in_scope(by, loc.code):
        _err(errors, field, f"Wilayah {code} di luar cakupan wilayah Anda.")
        return None
    if loc.level not in levels:
        want = " atau ".join("gudang Dinas (kab/kota)" if lv == "kabkota" else lv for lv in levels)
        _err(errors, field, f"{loc.label} tidak dapat dipakai di sini: harus {want}.")
        return None
    return loc

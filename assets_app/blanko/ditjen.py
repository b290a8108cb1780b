"""Requests for blanko to Ditjen Dukcapil: the Dinas's numbered letter, and its cancellation.

How many cards to ask for is `queries.request_suggestion`; a penerimaan that fulfils a request
closes it (`services.record_movement`).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from assets_app.blanko import queries, rules
from assets_app.blanko.models import BlankoRequest
from assets_app.common.errors import Conflict, ValidationFailed
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db

DITJEN = "Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri"


def _next_letter_no(kab_code: str, on: date) -> str:
    """The Dinas's next official letter number (400.12.2.1 = KTP-el matters), from the same
    pattern and yearly sequence as every other letter of that Dinas, so numbers never repeat."""
    from assets_app.common.sequence import next_value
    from assets_app.letters.services import format_number, get_settings

    settings = get_settings(kab_code)
    return format_number(
        settings.number_pattern,
        classification="400.12.2.1",
        seq=next_value(f"letter:{kab_code}:{on.year}"),
        unit=settings.unit_code,
        on=on,
        width=settings.number_width,
    )


def create_request(
    by,
    *,
    region_code: str,
    quantity: int | None = None,
    recipient: str | None = None,
    letter_date: date | None = None,
    signatory: str | None = None,
    note: str | None = None,
    today: date | None = None,
) -> BlankoRequest:
    rules.require(by, "blanko.write")
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    loc = rules.location(region_code, by, "region_code", errors, levels=("kabkota",))
    if errors:
        raise ValidationFailed(errors=errors)
    basis = queries.request_suggestion(by, loc.code, today)
    qty = basis["suggested"] if quantity is None else rules.quantity(quantity, errors)
    if qty == 0:
        errors.setdefault("quantity", []).append(
            "Stok masih mencukupi menurut perhitungan; isi jumlah yang diminta bila tetap perlu."
        )
    recipient_ = rules.text(recipient, errors, "recipient", 200) or DITJEN
    signatory_ = rules.text(signatory, errors, "signatory", 120)
    note_ = rules.text(note, errors, "note", 2000)
    letter_date = letter_date or today
    if errors:
        raise ValidationFailed(errors=errors)
    for _attempt in range(3):
        letter_no = _next_letter_no(loc.code, letter_date)
        req = BlankoRequest(
            region_code=loc.code,
            quantity=qty,
            suggested_quantity=basis["suggested"],
            basis=basis,
            letter_no=letter_no,
            letter_date=letter_date,
            recipient=recipient_,
            signatory=signatory_,
            note=note_,
            status="open",
            author_id=getattr(by, "id", None),
        )
        try:
            with db.session.begin_nested():
                db.session.add(req)
            return req
        except sa.exc.IntegrityError:
            continue
    raise Conflict("Nomor surat bentrok dengan permintaan lain; coba simpan lagi.")


def cancel_request(by, request_id: int, *, note: str | None = None) -> BlankoRequest:
    rules.require(by, "blanko.write")
    req = queries.get_request(by, request_id)
    if req.status != "open":
        raise ValidationFailed(f"Permintaan ini sudah {req.status_label.lower()}.")
    errors: dict[str, list[str]] = {}
    note_ = rules.text(note, errors, "note", 2000, "Alasan pembatalan wajib diisi.")
    if errors:
        raise ValidationFailed(errors=errors)
    req.status = "cancelled"
    req.note = ((req.note + "\n") if req.note else "") + f"Dibatalkan: {note_}"
    db.session.flush()
    return req

"""Requests for blanko to Ditjen Dukcapil and their cancellation. The request letter is a
letter of the letters module (subject "blanko_request"): a draft when the request is made,
numbered when the kadis signs it (the number is copied onto the request), then sent and its
reply recorded like any other letter, so it counts in `letters_sent`/`letters_unanswered`.

How many cards to ask for is `queries.request_suggestion`; a penerimaan that fulfils a request
closes it (`services.record_movement`).
"""

from __future__ import annotations

from datetime import date

from assets_app.blanko import queries, rules
from assets_app.blanko.models import DEFAULT_LEAD_TIME_DAYS, BlankoRequest
from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.regions.models import Region
from reports._format import angka, terbilang

DITJEN = "Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri"


CLASSIFICATION = "400.12.2.1"  # KTP-el matters (Permendagri 83/2022)
PERIHAL = "Permohonan Alokasi Blanko KTP-el"
SUBJECT = "blanko_request"  # the letters' subject_type of a request


def _days(value) -> str:
    return angka(value, 1) if value is not None else None


def letter_body(region_name: str, quantity: int, basis: dict, note: str | None) -> str:
    """The request letter's text (paragraphs; "- " lines a list) from the stock figures."""
    cover = basis.get("days_of_cover")
    cover_text = (
        f"cukup untuk sekitar {_days(cover)} hari"
        if cover is not None
        else "belum dapat dihitung karena belum ada pemakaian tercatat"
    )
    facts = [
        "- Persediaan saat ini (gudang Dinas, kecamatan dan dalam perjalanan): "
        f"{angka(int(basis.get('stock', 0)))} keping;",
        f"- Pemakaian 30 hari terakhir: {angka(int(basis.get('usage_30_days', 0)))} keping, atau "
        f"rata-rata {angka(float(basis.get('avg_daily', 0)), 1)} keping per hari;",
        f"- Dengan pemakaian tersebut persediaan {cover_text};",
        "- Perkiraan waktu sejak permohonan hingga blanko diterima: "
        f"{int(basis.get('lead_time_days', DEFAULT_LEAD_TIME_DAYS))} hari.",
    ]
    if basis.get("open_requests"):
        facts.append(
            "- Permohonan sebelumnya yang belum terpenuhi: "
            f"{angka(int(basis['open_requests']))} keping."
        )
    parts = [
        "Dengan hormat,",
        "Dalam rangka menjamin kelancaran pelayanan pencetakan KTP-el bagi penduduk di "
        f"{region_name}, bersama ini kami sampaikan keadaan persediaan blanko KTP-el kami "
        "sebagai berikut:",
        "\n".join(facts),
        "Sehubungan dengan hal tersebut, kami mohon kiranya dapat diberikan alokasi blanko "
        f"KTP-el sebanyak {angka(quantity)} ({terbilang(quantity)}) keping untuk {region_name}. "
        "Blanko akan kami ambil sesuai jadwal yang ditetapkan dan penerimaannya kami catat "
        "dengan berita acara serah terima beserta nomor seri.",
    ]
    if note:
        parts.append(note)
    parts.append(
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami "
        "ucapkan terima kasih."
    )
    return "\n\n".join(parts)


def _tembusan(region: Region) -> str:
    head = "Bupati" if region.name.lower().startswith("kabupaten") else "Wali Kota"
    place = region.name.split(" ", 1)[-1]
    province = db.session.get(Region, region.parent_code) if region.parent_code else None
    dinas = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    prov = province.name if province is not None else ""
    if prov and not prov.lower().startswith("provinsi"):
        prov = f"Provinsi {prov}"
    return "\n".join([f"{head} {place}", f"{dinas} {prov}".strip()])


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
    req = BlankoRequest(
        region_code=loc.code,
        quantity=qty,
        suggested_quantity=basis["suggested"],
        basis=basis,
        letter_no=None,  # the letter's number, given when the kadis signs it
        letter_date=letter_date,
        recipient=recipient_,
        signatory=signatory_,
        note=note_,
        status="open",
        author_id=getattr(by, "id", None),
    )
    db.session.add(req)
    db.session.flush()
    region = db.session.get(Region, loc.code)
    letters.compose_letter(
        by=by,
        region_code=loc.code,
        direction="keluar",
        recipient=recipient_,
        recipient_place="Jakarta",
        perihal=PERIHAL,
        body=letter_body(region.name, qty, basis, note_),
        classification=CLASSIFICATION,
        signer_name=signatory_,
        tembusan=_tembusan(region),
        letter_date=letter_date,
        subject_type=SUBJECT,
        subject_id=req.id,
    )
    return req


def request_letter_signed(request_id: int, number: str, on: date) -> None:
    """The letters module tells: the request's letter is signed; the request takes its
    number and date."""
    req = db.session.get(BlankoRequest, request_id)
    if req is not None:
        req.letter_no, req.letter_date = number, on
        db.session.flush()


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

"""The wording of a ticket letter: who it is addressed to (or their superior, for a level 3
escalation), the facts of the ticket and the earlier letters, and what is asked of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assets_app.common import vocab
from assets_app.common.formatting import WIB, tanggal
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, kabkota_of
from assets_app.tickets import queries
from assets_app.tickets.models import Ticket

PARTY_RECIPIENTS = {
    "disdukcapil": ("Kepala Dinas Kependudukan dan Pencatatan Sipil {kab}", "{city}"),
    "kecamatan": ("Camat {kec}", "{city}"),
    "diskominfo": ("Kepala Dinas Komunikasi dan Informatika {kab}", "{city}"),
    "vendor": ("Pimpinan {vendor}", "Tempat"),
    "ditjen_dukcapil": (
        "Direktur Jenderal Kependudukan dan Pencatatan Sipil\nKementerian Dalam Negeri",
        "Jakarta",
    ),
    "pln": ("Manajer PT PLN (Persero) Unit Layanan Pelanggan {city}", "{city}"),
}
# Level 3 escalation writes to the responsible party's superior.
PARTY_SUPERIORS = {
    "disdukcapil": ("{head} {city}", "{city}"),
    "kecamatan": ("{head} {city}", "{city}"),
    "diskominfo": ("Sekretaris Daerah {kab}", "{city}"),
    "vendor": PARTY_RECIPIENTS["ditjen_dukcapil"],
    "ditjen_dukcapil": ("Menteri Dalam Negeri Republik Indonesia", "Jakarta"),
    "pln": ("General Manager PT PLN (Persero) Unit Induk Distribusi", "Tempat"),
}
PARTY_REQUESTS = {
    "disdukcapil": "memberikan arahan dan dukungan agar perbaikan dapat segera diselesaikan",
    "kecamatan": "segera menindaklanjuti gangguan tersebut di lingkungan kecamatan",
    "diskominfo": "segera memulihkan jaringan/koneksi internet di kantor kecamatan tersebut",
    "vendor": "segera melakukan perbaikan atau penggantian perangkat sesuai kewajiban "
    "dalam kontrak dan garansi",
    "ditjen_dukcapil": "berkenan memberikan dukungan perbaikan atau penggantian perangkat "
    "serta pemulihan layanan",
    "pln": "segera memulihkan pasokan listrik ke kantor kecamatan tersebut",
}


@dataclass(frozen=True)
class TicketFacts:
    ticket: Ticket
    kecamatan: Region
    kabkota: Region | None
    asset: object | None  # the register's Asset row
    days_waiting: int
    letters: list  # the ticket's Letter rows


def ticket_facts(ticket: Ticket, today: date | None = None) -> TicketFacts:
    today = today or today_wib()
    kec = db.session.get(Region, ticket.region_code)
    kab = db.session.get(Region, kabkota_of(ticket.region_code))
    asset = queries.ticket_asset(ticket)
    since = ticket.created_at.astimezone(WIB).date()
    return TicketFacts(
        ticket, kec, kab, asset, (today - since).days, queries.ticket_letters(ticket)
    )


def _fill(template: str, facts: TicketFacts) -> str:
    kab_name = facts.kabkota.name if facts.kabkota else ""
    city = kab_name.replace("Kabupaten ", "").replace("Kota ", "")
    head = "Wali Kota" if kab_name.startswith("Kota") else "Bupati"
    vendor = facts.asset.vendor if facts.asset and facts.asset.vendor else "Penyedia Perangkat"
    return template.format(
        kab=kab_name, city=city, kec=facts.kecamatan.name, vendor=vendor, head=head
    )


def recipient_for(party: str, facts: TicketFacts, *, superior: bool = False) -> tuple[str, str]:
    table = PARTY_SUPERIORS if superior else PARTY_RECIPIENTS
    name, place = table[party]
    return _fill(name, facts), _fill(place, facts)


def _letter_reference(lt) -> str:
    when = tanggal(lt.letter_date or lt.sent_on) if (lt.letter_date or lt.sent_on) else "–"
    if lt.direction == "masuk":
        return f"surat {lt.sender or 'masuk'} nomor {lt.number} tanggal {when}"
    return f"surat kami nomor {lt.number} tanggal {when} kepada {lt.recipient.splitlines()[0]}"


def letter_body(facts: TicketFacts, party: str, *, superior: bool = False) -> str:
    t = facts.ticket
    since = tanggal(t.created_at)
    lines = [
        "Dengan hormat,",
        "",
        f"Bersama ini kami sampaikan bahwa sejak {since} terdapat gangguan layanan "
        f"administrasi kependudukan di Kecamatan {facts.kecamatan.name}"
        + (f", {facts.kabkota.name}" if facts.kabkota else "")
        + f", yang tercatat pada tiket perbaikan {t.number} dengan keterangan sebagai berikut:",
        "",
        f"- Kecamatan: {facts.kecamatan.name}",
    ]
    if facts.asset is not None:
        a = facts.asset
        detail = ", ".join(
            x
            for x in (
                a.brand_model,
                f"nomor seri {a.serial_number}" if a.serial_number else None,
                f"NUP {a.register_no}",
            )
            if x
        )
        lines.append(f"- Perangkat: {a.name} ({detail})")
    lines += [
        f"- Gangguan: {t.title} (kategori {t.category_label.lower()})",
        f"- Sejak: {since}",
        f"- Lama menunggu: {facts.days_waiting} hari",
    ]
    earlier = [lt for lt in facts.letters if lt.number and lt.status != "dibatalkan"]
    if earlier:
        lines += ["", "Permasalahan ini telah disampaikan sebelumnya melalui:", ""]
        lines += [f"- {_letter_reference(lt)}" for lt in earlier]
    request = PARTY_REQUESTS["disdukcapil" if superior and party != "vendor" else party]
    if superior and party == "vendor":
        request = PARTY_REQUESTS["ditjen_dukcapil"]
    lines += [
        "",
        f"Sehubungan dengan hal tersebut, kami mohon Bapak/Ibu {request}, agar pelayanan "
        f"perekaman dan pencetakan KTP-el bagi warga Kecamatan {facts.kecamatan.name} dapat "
        "kembali berjalan.",
        "",
        "Demikian kami sampaikan. Atas perhatian dan kerja samanya, kami ucapkan terima kasih.",
    ]
    return "\n".join(lines)


def letter_draft_defaults(
    ticket: Ticket, party: str | None = None, *, superior=False, today: date | None = None
) -> dict:
    """Pre-filled fields of a new letter about the ticket, addressed to `party`, with the
    facts as of `today` (WIB; default today)."""
    party = party if party in vocab.RESPONSIBLE_PARTY else ticket.responsible_party
    facts = ticket_facts(ticket, today)
    recipient, place = recipient_for(party, facts, superior=superior)
    tembusan = [f"Camat {facts.kecamatan.name}"]
    return {
        "recipient": recipient,
        "recipient_place": place,
        "perihal": f"Permohonan tindak lanjut perbaikan {ticket.category_label.lower()} "
        f"Kecamatan {facts.kecamatan.name}",
        "classification": "000.2.2",
        "sifat": "segera" if ticket.priority in ("kritis", "tinggi") else "biasa",
        "lampiran": "-",
        "body": letter_body(facts, party, superior=superior),
        "tembusan": "\n".join(tembusan),
    }

"""A ticket's history in time order: its events and the milestones of its letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from assets_app.common import vocab
from assets_app.common.formatting import WIB
from assets_app.tickets.models import Ticket, TicketEvent
from assets_app.tickets.queries import users_by_id


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str
    title: str
    note: str | None
    author: str | None
    date_only: bool = False
    url: str | None = None


def _day_end(d: date) -> datetime:
    """Date-only milestones sort after the events of the same day."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=WIB)


def _event_title(e: TicketEvent, people: dict) -> str:
    label = vocab.TICKET_STATUS
    if e.kind == "transition":
        if e.from_value is None:
            return "Tiket dibuat"
        return (
            f"Status: {label.get(e.from_value, e.from_value)} → {label.get(e.to_value, e.to_value)}"
        )
    if e.kind == "assign":
        new = people.get(int(e.to_value)) if e.to_value else None
        return f"Ditugaskan kepada {new.name if new else '–'}"
    if e.kind == "party":
        return (
            "Pihak penanggung jawab: "
            f"{vocab.label(vocab.RESPONSIBLE_PARTY, e.from_value)} → "
            f"{vocab.label(vocab.RESPONSIBLE_PARTY, e.to_value)}"
        )
    if e.kind == "escalation":
        return f"Eskalasi tingkat {e.to_value}"
    if e.kind == "attachment":
        return f"{e.to_value} lampiran ditambahkan"
    return "Komentar"


def _letter_items(lt) -> list[TimelineItem]:
    """The milestones of one letter: received, drafted, signed, sent, answered."""
    url = f"/surat/{lt.id}"
    first = lt.recipient.splitlines()[0] if lt.recipient else ""
    out: list[TimelineItem] = []

    def day(d, title, note=None):
        out.append(TimelineItem(_day_end(d), "letter", title, note, None, True, url))

    def moment(at, title, note=None, author=None):
        out.append(TimelineItem(at, "letter", title, note, author, False, url))

    if lt.direction == "masuk":
        if lt.letter_date:
            day(lt.letter_date, f"Surat masuk {lt.number} dari {lt.sender or '–'}", lt.perihal)
    else:
        if lt.status == "draf":
            moment(lt.created_at, f"Draf surat kepada {first} menunggu tanda tangan", lt.perihal)
        if lt.signed_at:
            moment(lt.signed_at, f"Surat {lt.number} ditandatangani", author=lt.signer_name)
        if lt.sent_on:
            day(lt.sent_on, f"Surat {lt.number} dikirim kepada {first} ({lt.channel_label})")
    if lt.replied_on:
        day(lt.replied_on, f"Balasan atas surat {lt.number or ''}".strip(), lt.reply_summary)
    return out


def timeline(ticket: Ticket, events: list[TicketEvent], letter_list: list) -> list[TimelineItem]:
    """Events and letter milestones in time order (one query for the names of users)."""
    people = users_by_id(
        [e.to_value for e in events if e.kind == "assign"]
        + [e.from_value for e in events if e.kind == "assign"]
    )
    items = [
        TimelineItem(
            e.at, e.kind, _event_title(e, people), e.note, e.author.name if e.author else "Sistem"
        )
        for e in events
    ]
    for lt in letter_list:
        items += _letter_items(lt)
    items.sort(key=lambda i: i.at)
    return items

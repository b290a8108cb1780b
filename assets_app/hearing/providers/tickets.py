"""Tickets and letters: open and overdue tickets, the oldest, the Dinas's letters sent, the
incoming letters received, the outgoing letters still unanswered, and the overdue tickets with
their letters (tickets/letters domain queries)."""

from __future__ import annotations

from datetime import date

from assets_app.common import vocab
from assets_app.common.formatting import to_wib
from assets_app.hearing.providers.base import Provider, SectionProvider, region_arg
from assets_app.letters import queries as letters
from assets_app.regions.models import level_of
from assets_app.tickets import queries as tickets
from reports.hearing_data import LetterRef, OverdueTicket

PARTY_LABELS = {**vocab.RESPONSIBLE_PARTY, "belum_ditentukan": "Belum ditentukan"}


def _is_kecamatan(code: str) -> bool:
    return level_of(code) == "kecamatan"


def _tickets(user, region_code, start: date, end: date, today: date, *, as_of) -> dict:
    """Open and overdue tickets and the oldest one's age at the summary's `as_of`; a ticket
    filed after it is not counted (see `tickets.stats`)."""
    rows = tickets.ticket_stats_by_region(user, region_code, start, end, as_of=as_of)
    return {
        code: {
            "open_tickets": r["open_tickets"],
            "overdue_tickets": r["overdue_tickets"],
            "oldest_ticket_days": r["oldest_ticket_days"] if r["open_tickets"] else None,
        }
        for code, r in rows.items()
    }


def _letters(user, region_code, start: date, end: date, today: date) -> dict:
    """The three letter figures, as `letters.queries.letter_stats` defines them: sent and
    received in the period, unanswered at its end (with the oldest one's days waiting)."""
    return {
        code: {
            "letters_sent": r["letters_sent"],
            "letters_received": r["letters_received"],
            "letters_unanswered": r["letters_unanswered"],
            "awaiting_reply_days": r["max_days_waiting"] if r["letters_unanswered"] else None,
        }
        for code, r in letters.letter_stats(user, region_code, start, end).items()
    }


def _overdue_tickets(user, region_code, start: date, end: date, today: date, *, as_of):
    """The tickets counted as overdue at `as_of`, with their status then."""
    out = []
    for t in tickets.overdue_tickets_with_letters(user, region_code, as_of=as_of):
        out.append(
            OverdueTicket(
                number=t["number"],
                region_code=t["region_code"],
                region_name=f"Kec. {t['kecamatan']}"
                if _is_kecamatan(t["region_code"])
                else t["kecamatan"],
                title=t["title"],
                status=vocab.label(vocab.TICKET_STATUS, t["status"]),
                responsible_party=PARTY_LABELS.get(t["responsible_party"])
                if t["responsible_party"]
                else None,
                opened_on=to_wib(t["created_at"]).date(),
                days_waiting=t["days_waiting"],
                letters=tuple(
                    LetterRef(number=n, letter_date=d, recipient=r) for n, d, r in t["letters"]
                ),
            )
        )
    return out


PROVIDERS = (
    Provider(
        "tickets",
        _tickets,
        section="tickets",
        metrics=("open_tickets", "overdue_tickets", "oldest_ticket_days"),
        takes_as_of=True,
    ),
    Provider(
        "letters",
        _letters,
        section="letters",
        metrics=(
            "letters_sent",
            "letters_received",
            "letters_unanswered",
            "awaiting_reply_days",
        ),
    ),
)
SECTIONS = (
    SectionProvider("overdue_tickets", _overdue_tickets, section="tickets", takes_as_of=True),
)
DRILL = [
    *(
        (m, "tickets.index", lambda c: {**region_arg(c), "status": "terbuka"})
        for m in ("open_tickets", "oldest_ticket_days")
    ),
    ("overdue_tickets", "tickets.overdue", region_arg),
    ("letters_sent", "letters.index", lambda c: {**region_arg(c), "direction": "keluar"}),
    ("letters_received", "letters.index", lambda c: {**region_arg(c), "direction": "masuk"}),
    (
        "letters_unanswered",
        "letters.index",
        lambda c: {**region_arg(c), "direction": "keluar", "status": "terkirim"},
    ),
]

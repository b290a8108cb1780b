"""SLA escalation, run by `flask tickets escalate` from cron. Idempotent: a ticket's
`escalation_level` only rises, each level's step happens once, and a second run at the same
moment changes nothing.

Levels (share of the SLA target used, see `sla.ESCALATION_THRESHOLDS`):

1. ≥ 100 %: the kadis (and the assignee) are notified;
2. ≥ 150 %: a letter to the responsible party is drafted (none when the party is the
   Disdukcapil itself) and the kadis are asked to sign it;
3. ≥ 300 %: a letter to the party's superior (e.g. Ditjen Dukcapil for a vendor) is drafted.

Letters are only drafted; a person signs and sends them. Each step is a ticket event and an
in-app notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from assets_app.common import vocab
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.tickets import queries, services, sla, sla_config
from assets_app.tickets.models import Ticket, TicketEvent
from assets_app.tickets.notifications import notify, users_covering


@dataclass
class EscalationResult:
    checked: int = 0
    raised: list[tuple[str, int, int]] = field(default_factory=list)  # (number, from, to)
    letters: int = 0

    @property
    def summary(self) -> str:
        return (
            f"{self.checked} tiket terbuka diperiksa; {len(self.raised)} naik tingkat eskalasi; "
            f"{self.letters} draf surat dibuat."
        )


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"


def _claim_level(ticket: Ticket, old: int, new: int) -> bool:
    """Conditional update: only one run (or process) moves a ticket from `old` to `new`."""
    result = db.session.execute(
        sa.update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.escalation_level == old)
        .values(escalation_level=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(ticket, ["escalation_level"])
    return True


def _step(ticket: Ticket, level: int, clocks: sla.TicketClocks, now: datetime, result) -> None:
    ratio = clocks.escalation_ratio
    clock = "terima" if clocks.accept.running else "penyelesaian"
    party = ticket.responsible_party
    party_label = vocab.label(vocab.RESPONSIBLE_PARTY, party)
    kadis = users_covering(ticket.region_code, ("kadis",))
    url = queries.ticket_path(ticket.id)
    if level == 1:
        note = (
            f"Target waktu {clock} terlampaui ({_percent(ratio)} dari target). "
            "Kepala dinas diberi tahu."
        )
        recipients = [*kadis, ticket.assignee_id]
        title = f"Tiket {ticket.number} melewati target SLA"
    else:
        superior = level == 3
        if party == "disdukcapil" and not superior:
            note = (
                f"Waktu {clock} mencapai {_percent(ratio)} dari target. Penanggung jawab adalah "
                "Disdukcapil sendiri; tidak ada surat keluar, kepala dinas diminta menindaklanjuti."
            )
        else:
            fields = services.letter_draft_defaults(ticket, party, superior=superior)
            fields["sifat"] = "sangat_segera" if superior else "segera"
            letter = services.compose_ticket_letter(ticket, by=None, **fields)
            result.letters += 1
            whom = fields["recipient"].splitlines()[0]
            note = (
                f"Waktu {clock} mencapai {_percent(ratio)} dari target. Draf surat kepada {whom} "
                f"({'atasan ' if superior else ''}{party_label}) dibuat dan menunggu tanda tangan."
            )
            url = f"/surat/{letter.id}"
        recipients = [*kadis, ticket.assignee_id]
        title = f"Eskalasi tingkat {level}: tiket {ticket.number}"
    db.session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind="escalation",
            from_value=str(level - 1),
            to_value=str(level),
            note=note,
            author_id=None,
            at=now,
        )
    )
    notify(
        recipients,
        kind="eskalasi",
        title=title,
        body=note,
        url=url,
        ticket_id=ticket.id,
        at=now,
        dedupe=f"eskalasi:{ticket.id}:{level}",
    )


def escalate_ticket(
    ticket: Ticket,
    transitions: list,
    now: datetime,
    config: sla_config.SlaConfig,
    result: EscalationResult,
) -> None:
    """Refreshes one ticket's SLA cache and raises its level if a threshold was passed."""
    clocks = sla_config.clocks_for(ticket, transitions, now, config)
    sla_config.apply_clock_cache(ticket, clocks)
    target = sla.escalation_level(clocks.escalation_ratio)
    current = ticket.escalation_level
    if target <= current:
        return
    if not _claim_level(ticket, current, target):
        return  # another run got there first
    for level in range(current + 1, target + 1):
        _step(ticket, level, clocks, now, result)
    result.raised.append((ticket.number, current, target))


def escalate(now: datetime | None = None, batch: int = 200) -> EscalationResult:
    now = now or utcnow()
    result = EscalationResult()
    for rows in sla_config.open_tickets_in_batches(batch):
        for ticket, transitions in rows:
            result.checked += 1
            config = sla_config.load_sla_config(ticket.region_code)  # per kab/kota, cached
            escalate_ticket(ticket, transitions, now, config, result)
        db.session.flush()
    return result

"""Read-only questions about letters: one letter, the filtered list, the letters of a subject,
their correspondence figures, the links back to what a letter is about, the report figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.letters import vocab
from assets_app.letters.models import Letter
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause


def get_letter(letter_id) -> Letter | None:
    try:
        return db.session.get(Letter, int(letter_id))
    except (TypeError, ValueError):
        return None


def get_letter_or_404(letter_id: int, user) -> Letter:
    letter = db.session.get(Letter, letter_id)
    if letter is None or not in_scope(user, letter.region_code):
        raise NotFound("Surat tidak ditemukan atau di luar cakupan wilayah Anda.")
    return letter


def letters_query(
    user,
    *,
    region: str | None = None,
    direction: str | None = None,
    status: str | None = None,
    q: str | None = None,
    subject_type: str | None = None,
) -> sa.Select:
    """Letters in the user's scope with the list filters, newest first."""
    stmt = (
        sa.select(Letter)
        .where(scope_clause(Letter.region_code, user))
        .order_by(Letter.created_at.desc(), Letter.id.desc())
    )
    if region:
        stmt = stmt.where(subtree_clause(Letter.region_code, region))
    if direction in vocab.LETTER_DIRECTION:
        stmt = stmt.where(Letter.direction == direction)
    if status in vocab.LETTER_STATUS:
        stmt = stmt.where(Letter.status == status)
    if subject_type:
        stmt = stmt.where(Letter.subject_type == subject_type)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Letter.perihal).like(like),
                sa.func.lower(Letter.recipient).like(like),
                sa.func.lower(sa.func.coalesce(Letter.number, "")).like(like),
                sa.func.lower(sa.func.coalesce(Letter.sender, "")).like(like),
            )
        )
    return stmt


def letters_for_subjects(subject_type: str, ids: list[int]) -> dict[int, list[Letter]]:
    """Letters of many subjects in one query: {subject_id: [letters by date]}."""
    out: dict[int, list[Letter]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        sa.select(Letter)
        .where(
            Letter.subject_type == subject_type,
            Letter.subject_id.in_(ids),
            Letter.status != "dibatalkan",
        )
        .order_by(sa.func.coalesce(Letter.sent_on, Letter.letter_date), Letter.id)
    )
    for letter in db.session.scalars(stmt):
        out[letter.subject_id].append(letter)
    return out


def letters_for_subject(
    subject_type: str, subject_id: int, *, include_cancelled=False
) -> list[Letter]:
    stmt = (
        sa.select(Letter)
        .where(Letter.subject_type == subject_type, Letter.subject_id == subject_id)
        .order_by(Letter.created_at, Letter.id)
    )
    if not include_cancelled:
        stmt = stmt.where(Letter.status != "dibatalkan")
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Correspondence:
    outgoing: int
    incoming: int
    replies: int
    awaiting: int
    days_waiting: int | None  # since the oldest letter still waiting for a reply
    oldest_waiting: Letter | None

    @property
    def text(self) -> str:
        parts = [f"{self.outgoing} surat keluar"]
        if self.incoming:
            parts.append(f"{self.incoming} surat masuk")
        parts.append(f"{self.replies} balasan")
        if self.days_waiting is not None:
            parts.append(f"menunggu {self.days_waiting} hari")
        return ", ".join(parts)


def correspondence(letters: list[Letter], today: date | None = None) -> Correspondence:
    """Counts over one subject's letters: sent (outgoing, signed and sent), received, replied,
    and how long the oldest unanswered letter has waited."""
    today = today or today_wib()
    outgoing = [lt for lt in letters if lt.direction == "keluar" and lt.sent_on]
    incoming = [lt for lt in letters if lt.direction == "masuk"]
    replies = sum(1 for lt in letters if lt.replied_on) + sum(
        1 for lt in incoming if lt.in_reply_to_id
    )
    waiting = [lt for lt in letters if lt.awaiting_reply and lt.sent_on]
    oldest = min(waiting, key=lambda lt: lt.sent_on) if waiting else None
    return Correspondence(
        outgoing=len(outgoing),
        incoming=len(incoming),
        replies=replies,
        awaiting=len(waiting),
        days_waiting=(today - oldest.sent_on).days if oldest else None,
        oldest_waiting=oldest,
    )


def subject_links(letters) -> dict[tuple[str, int], tuple[str, str]]:
    """{(subject_type, subject_id): (label, url)} for the letters given, one query per type.
    Letters are about tickets or blanko requests."""
    from assets_app.blanko.queries import letter_subject_links as blanko_links
    from assets_app.tickets.queries import letter_subject_links

    resolvers = {"ticket": letter_subject_links, "blanko_request": blanko_links}
    wanted: dict[str, set[int]] = {}
    for lt in letters:
        if lt.subject_type in resolvers and lt.subject_id is not None:
            wanted.setdefault(lt.subject_type, set()).add(lt.subject_id)
    return {
        (kind, sid): link
        for kind, ids in wanted.items()
        for sid, link in resolvers[kind](sorted(ids)).items()
    }


def people_of(letter: Letter) -> dict:
    """The writer and the signer of a letter: {user id: User}."""
    from assets_app.auth.models import User

    ids = [i for i in (letter.created_by_id, letter.signed_by_id) if i]
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def _period_bounds(start: date, end: date) -> tuple[date, date]:
    if start > end:
        raise ValidationFailed(errors={"start": ["Tanggal awal harus sebelum tanggal akhir."]})
    return start, end


def _sent_and_received(base: list, start: date, end: date) -> dict[str, tuple[int, int]]:
    """{region: (letters_sent, letters_received)} in one aggregate query.

    - `letters_sent` — outgoing letters of the Dinas (`direction == "keluar"`, not cancelled,
      not replies) whose sending date `sent_on` falls in [start, end]. Unit: letters. Period.
    - `letters_received` — incoming letters (`direction == "masuk"`, e.g. from a camat; not
      replies) received in [start, end], by `received_on`, or by `letter_date` when no
      receiving date was recorded. Unit: letters. Period.
    """
    is_out = sa.and_(Letter.direction == "keluar", Letter.sent_on.between(start, end))
    received_on = sa.func.coalesce(Letter.received_on, Letter.letter_date)
    is_in = sa.and_(Letter.direction == "masuk", received_on.between(start, end))
    rows = db.session.execute(
        sa.select(
            Letter.region_code,
            sa.func.count(sa.case((is_out, 1))),
            sa.func.count(sa.case((is_in, 1))),
        )
        .where(*base, sa.or_(is_out, is_in))
        .group_by(Letter.region_code)
    ).all()
    return {code: (sent, received) for code, sent, received in rows}


def _unanswered(base: list, end: date) -> dict[str, tuple[int, int]]:
    """{region: (letters_unanswered, max_days_waiting)} in one aggregate query.

    - `letters_unanswered` — outgoing letters of the Dinas (not cancelled, not replies) sent
      on or before `end` that have no reply recorded on or before `end` (a reply dated after
      `end` does not count). Unit: letters. Moment: the end of the period.
    - `max_days_waiting` — days from the sending date of the oldest of those letters to
      `end`. Unit: days. Moment: the end of the period.
    """
    rows = db.session.execute(
        sa.select(Letter.region_code, sa.func.count(), sa.func.min(Letter.sent_on))
        .where(
            *base,
            Letter.direction == "keluar",
            Letter.sent_on.is_not(None),
            Letter.sent_on <= end,
            sa.or_(Letter.replied_on.is_(None), Letter.replied_on > end),
        )
        .group_by(Letter.region_code)
    ).all()
    return {code: (count, (end - oldest).days) for code, count, oldest in rows}


def letter_stats(user, region_code: str | None, start: date, end: date) -> dict[str, dict]:
    """Letter figures per letter region (kecamatan, or kab/kota for its own letters) in the
    user's scope, for the period [start, end] (inclusive dates, WIB):

    - `letters_sent`: outgoing letters of the Dinas sent in the period (by `sent_on`);
    - `letters_received`: incoming letters (e.g. from the camat) received in the period (by
      `received_on`, else `letter_date`);
    - `letters_unanswered`: outgoing letters sent on or before `end` still without a reply
      at `end`; `max_days_waiting`: days from the oldest of them to `end` (0 when none).

    Replies (`in_reply_to_id` set) and cancelled drafts are never counted. An incoming
    letter is never "sent" by the Dinas. The exact definitions are in `_sent_and_received`
    and `_unanswered`. Two aggregate queries whatever the number of letters.
    """
    start, end = _period_bounds(start, end)
    base = [
        scope_clause(Letter.region_code, user),
        Letter.in_reply_to_id.is_(None),
        Letter.status != "dibatalkan",
    ]
    if region_code:
        base.append(subtree_clause(Letter.region_code, region_code))
    flows = _sent_and_received(base, start, end)
    waiting = _unanswered(base, end)
    out: dict[str, dict] = {}
    for code in sorted(set(flows) | set(waiting)):
        sent, received = flows.get(code, (0, 0))
        unanswered, days = waiting.get(code, (0, 0))
        out[code] = {
            "letters_sent": sent,
            "letters_received": received,
            "letters_unanswered": unanswered,
            "max_days_waiting": days,
        }
    return out


def drafts_created_before(moment) -> list[Letter]:
    """Outgoing drafts (waiting for the kadis' signature) created before `moment`, oldest
    first: the notify domain's reminder reads this."""
    return list(
        db.session.scalars(
            sa.select(Letter)
            .where(
                Letter.direction == "keluar",
                Letter.status == "draf",
                Letter.created_at < moment,
            )
            .order_by(Letter.created_at, Letter.id)
        )
    )


def replies_to(letter: Letter) -> list[Letter]:
    """The letters recorded as replies to `letter`, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Letter)
            .where(Letter.in_reply_to_id == letter.id, Letter.status != "dibatalkan")
            .order_by(Letter.created_at, Letter.id)
        )
    )

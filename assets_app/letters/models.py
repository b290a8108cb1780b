"""Official letters (naskah dinas) and the letterhead/numbering settings of each Dinas.

A letter belongs to a region (the kecamatan a ticket is about, or the kab/kota itself) and may
point at what it is about through the generic pair `subject_type`/`subject_id` ("ticket", 12;
"blanko_request", 3 …); this package never imports the domains that use it.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.common.sequence import SequenceCounter  # noqa: F401  (table for migrations)
from assets_app.db import Base, TimestampMixin, UTCDateTime
from assets_app.letters import vocab


class Letter(TimestampMixin, Base):
    __tablename__ = "letters"
    __audit__ = True
    __table_args__ = (
        # Outgoing numbers are unique per issuing Dinas and year; incoming letters keep NULLs.
        sa.UniqueConstraint("issuer_code", "seq_year", "seq_no", name="uq_letters_sequence"),
        sa.Index("ix_letters_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    issuer_code: Mapped[str | None] = mapped_column(sa.String(13))
    direction: Mapped[str] = mapped_column(sa.String(6), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    classification: Mapped[str | None] = mapped_column(sa.String(30))
    number: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    seq_year: Mapped[int | None] = mapped_column()
    seq_no: Mapped[int | None] = mapped_column()
    letter_date: Mapped[date | None] = mapped_column(sa.Date)
    sifat: Mapped[str] = mapped_column(sa.String(16), default="biasa")
    lampiran: Mapped[str] = mapped_column(sa.String(120), default="-")
    perihal: Mapped[str] = mapped_column(sa.String(300))
    sender: Mapped[str | None] = mapped_column(sa.String(300))
    recipient: Mapped[str] = mapped_column(sa.String(500))
    recipient_place: Mapped[str | None] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    tembusan: Mapped[str | None] = mapped_column(sa.Text)
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    signer_nip: Mapped[str | None] = mapped_column(sa.String(30))
    signer_rank: Mapped[str | None] = mapped_column(sa.String(120))
    signer_position: Mapped[str | None] = mapped_column(sa.String(200))
    signer_line: Mapped[str | None] = mapped_column(sa.String(200))  # "a.n. …" / "Plt."
    kop: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    subject_type: Mapped[str | None] = mapped_column(sa.String(30))
    subject_id: Mapped[int | None] = mapped_column()
    in_reply_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    received_on: Mapped[date | None] = mapped_column(sa.Date)
    channel: Mapped[str | None] = mapped_column(sa.String(16))
    replied_on: Mapped[date | None] = mapped_column(sa.Date)
    reply_summary: Mapped[str | None] = mapped_column(sa.Text)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(200))

    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise_on_sql")
    signed_by = relationship("User", foreign_keys=[signed_by_id], lazy="raise_on_sql")

    @property
    def direction_label(self) -> str:
        return vocab.LETTER_DIRECTION.get(self.direction, self.direction)

    @property
    def status_label(self) -> str:
        return vocab.LETTER_STATUS.get(self.status, self.status)

    @property
    def sifat_label(self) -> str:
        return vocab.LETTER_SIFAT.get(self.sifat, self.sifat)

    @property
    def channel_label(self) -> str:
        return vocab.LETTER_CHANNEL.get(self.channel or "", self.channel or "–")

    @property
    def is_draft(self) -> bool:
        return self.status == "draf"

    @property
    def awaiting_reply(self) -> bool:
        return self.status in ("terkirim", "diterima") and self.in_reply_to_id is None

    def __repr__(self) -> str:
        return f"<Letter {self.id} {self.direction} {self.number or 'draf'}>"


class LetterSetting(TimestampMixin, Base):
    """Letterhead, numbering and default signer of one Dinas (one row per kab/kota)."""

    __tablename__ = "letter_settings"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), unique=True)
    pemerintah: Mapped[str] = mapped_column(sa.String(120))
    dinas: Mapped[str] = mapped_column(sa.String(160))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str] = mapped_column(sa.String(120), default="")
    website: Mapped[str] = mapped_column(sa.String(120), default="")
    city: Mapped[str] = mapped_column(sa.String(80))
    number_pattern: Mapped[str] = mapped_column(sa.String(120), default=vocab.DEFAULT_PATTERN)
    unit_code: Mapped[str] = mapped_column(sa.String(40), default="Disdukcapil")
    number_width: Mapped[int] = mapped_column(default=4)
    signer_name: Mapped[str] = mapped_column(sa.String(120), default="")
    signer_nip: Mapped[str] = mapped_column(sa.String(30), default="")
    signer_rank: Mapped[str] = mapped_column(sa.String(120), default="")
    signer_position: Mapped[str] = mapped_column(sa.String(200))
    logo_path: Mapped[str | None] = mapped_column(sa.String(200))  # under the instance folder
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

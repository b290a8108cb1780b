"""Blanko KTP-el stock: an append-only ledger of movements per location, and derived state.

A *location* is the Dinas store (the kab/kota region) or a kecamatan service point (its region).

Written once, never changed (`AppendOnly`): `BlankoMovement` (+ its `BlankoSerialRange`
rows), `BlankoReceipt` (a transfer confirmed at its destination), `BlankoApproval` (a kadis
decision on a write-off or adjustment) and `BlankoStockOpname` (a count). The state of a movement
(in transit, received, pending, approved, rejected) is derived from those rows.

Kept by the services in the same transaction as each ledger row, and re-derived from the ledger
by `flask blanko check`: `BlankoBalance` (one row per location) and `BlankoSerialBlock` (which
serial numbers sit where). Both are caches of the audited ledger, so they are not audited
themselves; they are changed only with conditional SQL updates.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.auth.models import User
from assets_app.common import vocab
from assets_app.db import AppendOnly, Base, TimestampMixin, UTCDateTime, label_property, utcnow

# Derived states of a movement (never stored on the movement row itself).
STATUS_LABELS = {
    "posted": "Tercatat",
    "in_transit": "Dalam perjalanan",
    "received": "Diterima",
    "pending_approval": "Menunggu persetujuan",
    "approved": "Disetujui",
    "rejected": "Ditolak",
}
TRANSFER_KINDS = ("distribusi", "pengembalian")
APPROVAL_KINDS = ("rusak", "penyesuaian")

# Stock locations are regions of these levels; their defaults until a setting is saved.
LOCATION_LEVELS = ("kabkota", "kecamatan")
DEFAULT_LOW_STOCK_DAYS = 7
DEFAULT_LEAD_TIME_DAYS = 14
USAGE_WINDOW_DAYS = 30


def location_label(level: str, name: str) -> str:
    """How a stock location is named on every page: "Gudang Dinas Kab. …" or "Kec. …"."""
    if level == "kabkota":
        return f"Gudang Dinas {name.replace('Kabupaten ', 'Kab. ', 1)}"
    if level == "kecamatan":
        return f"Kec. {name}"
    return name


class LocationNaming:
    """What a stock location (`code`, `name`, `level`, `parent_code`) is called and belongs to."""

    code: str
    name: str
    level: str
    parent_code: str | None

    @property
    def label(self) -> str:
        return location_label(self.level, self.name)

    @property
    def kab_code(self) -> str:
        """The kab/kota whose Dinas supplies this location (itself for a Dinas)."""
        return self.code if self.level == "kabkota" else (self.parent_code or self.code)

    @property
    def is_dinas(self) -> bool:
        return self.level == "kabkota"


class BlankoMovement(AppendOnly, Base):
    """One line of the ledger. Cards leave `from_region` and arrive at `to_region`
    (either may be empty: penerimaan comes from Ditjen, pemakaian/rusak leave the stock).
    `region_code` is the location the movement concerns most specifically (the kecamatan of
    a transfer), which scopes it: a camat sees the movements of their kecamatan."""

    __tablename__ = "blanko_movements"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        # Covers the 30-day usage aggregates (days of cover) without touching the table.
        sa.Index(
            "ix_blanko_movements_kind_occurred", "kind", "occurred_at", "from_region", "quantity"
        ),
        sa.Index(
            "ix_blanko_movements_from_kind_occurred",
            "from_region",
            "kind",
            "occurred_at",
            "quantity",
        ),
        # History of one kecamatan, newest first.
        sa.Index("ix_blanko_movements_region_occurred", "region_code", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"))
    from_region: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"))
    to_region: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    quantity: Mapped[int] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reference: Mapped[str | None] = mapped_column(sa.String(120))
    bast_date: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("blanko_requests.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    serial_ranges: Mapped[list[BlankoSerialRange]] = relationship(
        order_by="BlankoSerialRange.start_no", lazy="raise_on_sql", viewonly=True
    )
    receipt: Mapped[BlankoReceipt | None] = relationship(
        lazy="raise_on_sql", viewonly=True, uselist=False
    )
    approval: Mapped[BlankoApproval | None] = relationship(
        lazy="raise_on_sql", viewonly=True, uselist=False
    )
    author: Mapped[User | None] = relationship(lazy="raise_on_sql", viewonly=True)

    kind_label = label_property("kind", vocab.BLANKO_MOVEMENT)

    @property
    def location_code(self) -> str:
        """The one location a single-sided movement (pemakaian, rusak, penyesuaian) concerns."""
        return self.from_region or self.to_region or self.region_code

    @property
    def is_transfer(self) -> bool:
        return self.kind in TRANSFER_KINDS

    @property
    def needs_approval(self) -> bool:
        return self.kind in APPROVAL_KINDS

    @property
    def status(self) -> str:
        """Derived from the receipt/approval rows (load them with the movement)."""
        if self.kind in TRANSFER_KINDS:
            return "received" if self.receipt is not None else "in_transit"
        if self.kind in APPROVAL_KINDS:
            if self.approval is None:
                return "pending_approval"
            return "approved" if self.approval.approved else "rejected"
        return "posted"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def sign(self) -> int:
        """+1 when the movement adds stock at its location (penerimaan, positive penyesuaian)."""
        return 1 if self.from_region is None else -1


class BlankoSerialRange(AppendOnly, Base):
    """Serial numbers (inclusive range) carried by one movement."""

    __tablename__ = "blanko_serial_ranges"
    __table_args__ = (
        sa.CheckConstraint("end_no >= start_no", name="range_order"),
        sa.Index("ix_blanko_serial_ranges_start_end", "start_no", "end_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("blanko_movements.id"), index=True)
    start_no: Mapped[int] = mapped_column(sa.BigInteger)
    end_no: Mapped[int] = mapped_column(sa.BigInteger)

    @property
    def count(self) -> int:
        return self.end_no - self.start_no + 1


class BlankoReceipt(AppendOnly, Base):
    """The destination confirms a transfer (distribusi or pengembalian)."""

    __tablename__ = "blanko_receipts"
    __table_args__ = (
        sa.UniqueConstraint("movement_id", name="uq_blanko_receipts_movement_id"),
        sa.CheckConstraint("quantity_received >= 0", name="received_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("blanko_movements.id"))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    quantity_sent: Mapped[int] = mapped_column()
    quantity_received: Mapped[int] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    # Set when a user above the destination (the Dinas) recorded the receipt for it.
    on_behalf_reason: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise_on_sql", viewonly=True)

    @property
    def difference(self) -> int:
        """Sent − received: positive when cards are missing, negative when more arrived."""
        return self.quantity_sent - self.quantity_received


class BlankoApproval(AppendOnly, Base):
    """A kadis decision on a rusak write-off or a penyesuaian (approved or rejected)."""

    __tablename__ = "blanko_approvals"
    __table_args__ = (sa.UniqueConstraint("movement_id", name="uq_blanko_approvals_movement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("blanko_movements.id"))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    approved: Mapped[bool] = mapped_column()
    berita_acara_no: Mapped[str | None] = mapped_column(sa.String(120))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # what the berita acara is issued with: kop, signing official, recorder, approver, saksi
    document: Mapped[dict | None] = mapped_column(sa.JSON)

    author: Mapped[User | None] = relationship(lazy="raise_on_sql", viewonly=True)


class BlankoBalance(Base):
    """Stock at one location. `reserved` = cards held for pending write-offs/adjustments:
    still on hand, but not available for other movements."""

    __tablename__ = "blanko_balances"
    __table_args__ = (
        sa.CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        sa.CheckConstraint("in_transit_in >= 0", name="in_transit_not_negative"),
        sa.CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within"),
    )

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    in_transit_in: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class BlankoSerialBlock(Base):
    """Where serial numbers are now: `held` at a location, `in_transit` to it (movement_id =
    the transfer) or `reserved` there by a pending write-off (movement_id = the rusak)."""

    __tablename__ = "blanko_serial_blocks"
    __table_args__ = (
        sa.CheckConstraint("end_no >= start_no", name="block_order"),
        sa.Index("ix_blanko_serial_blocks_region_state", "region_code", "state"),
        sa.Index("ix_blanko_serial_blocks_start_end", "start_no", "end_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"))
    start_no: Mapped[int] = mapped_column(sa.BigInteger)
    end_no: Mapped[int] = mapped_column(sa.BigInteger)
    state: Mapped[str] = mapped_column(sa.String(12), default="held")
    movement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("blanko_movements.id"), index=True
    )


class BlankoLocationSetting(TimestampMixin, Base):
    """Per-location settings; a location without a row uses the defaults."""

    __tablename__ = "blanko_location_settings"
    __audit__ = True

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    low_stock_days: Mapped[int] = mapped_column(default=7)
    lead_time_days: Mapped[int] = mapped_column(default=14)


class BlankoStockOpname(AppendOnly, Base):
    """A physical count at a location. A difference becomes a penyesuaian movement that waits
    for kadis approval."""

    __tablename__ = "blanko_stock_opnames"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    counted_quantity: Mapped[int] = mapped_column()
    system_quantity: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.Text)
    movement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("blanko_movements.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def difference(self) -> int:
        return self.counted_quantity - self.system_quantity


REQUEST_STATUS = {"open": "Terbuka", "closed": "Terpenuhi", "cancelled": "Dibatalkan"}


class BlankoRequest(TimestampMixin, Base):
    """A request for blanko to Ditjen Dukcapil. Open until a penerimaan references it
    (`BlankoMovement.request_id`); the service closes it in the same transaction."""

    __tablename__ = "blanko_requests"
    __audit__ = True
    __table_args__ = (
        sa.UniqueConstraint("region_code", "letter_no", name="uq_blanko_requests_letter_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    quantity: Mapped[int] = mapped_column()
    suggested_quantity: Mapped[int] = mapped_column()
    basis: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The number of its letter (letters module, subject "blanko_request"), copied when the
    # kadis signs it; NULL while the letter is a draft.
    letter_no: Mapped[str | None] = mapped_column(sa.String(120))
    letter_date: Mapped[date] = mapped_column(sa.Date)
    recipient: Mapped[str] = mapped_column(sa.String(200))
    signatory: Mapped[str | None] = mapped_column(sa.String(120))
    note: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def status_label(self) -> str:
        return REQUEST_STATUS.get(self.status, self.status)

    @property
    def number_label(self) -> str:
        return self.letter_no or f"#{self.id} (surat masih draf)"


class BlankoDaily(Base):
    """Rekap harian (rollup) of the ledger: one row per location per WIB day on which the
    ledger changed it, written by `blanko.daily` in the same transaction as each movement,
    receipt and decision, so period figures and balances as of a day read O(locations × days)
    rows instead of the ledger. The flow columns are the signed on-hand changes of the day by
    the figure they belong to (as `stats._contributions` names them); `from_ditjen` is the
    penerimaan part of `received`, `short` sent − received of the receipts of the day; the
    last three are the balances at the end of the day. Re-derived by `flask rollups rebuild`."""

    __tablename__ = "blanko_daily"
    # the 30-day use of every location (low stock, days of cover) by an index-only scan of
    # the window's days, not the whole rollup: (day, region_code, used)
    __table_args__ = (sa.Index("ix_blanko_daily_day_region_used", "day", "region_code", "used"),)

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    distributed: Mapped[int] = mapped_column(default=0)
    returned: Mapped[int] = mapped_column(default=0)
    used: Mapped[int] = mapped_column(default=0)
    damaged: Mapped[int] = mapped_column(default=0)
    adjusted: Mapped[int] = mapped_column(default=0)
    from_ditjen: Mapped[int] = mapped_column(default=0)
    short: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    in_transit: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)


class BlankoWindowUse(Base):
    """Cards used (pemakaian) at each location on the 29 closed days of the 30-day window
    ending `through_day` (yesterday), stored once a day by `blanko.window` and kept by the
    writers, so the window of every location (low stock, days of cover) reads one row per
    location plus today's rollup rows. Every location has a row (zero included); one
    `through_day` for all. Derived data: `flask rollups rebuild` recomputes it."""

    __tablename__ = "blanko_window_use"

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    through_day: Mapped[date] = mapped_column(sa.Date, index=True)
    used: Mapped[int] = mapped_column(default=0)

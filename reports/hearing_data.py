"""Frozen snapshot of a DPRD hearing packet (bahan RDP Komisi I): what the PDF and XLSX show.

The app builds one `HearingPacket` from the summary service; the renderers turn it into bytes.
`Figures` carries every number of one kecamatan (or of the total); its field names are the
metric keys of `GET /api/v1/reports/summary` (DESIGN.md) plus the issue's extras.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime

from reports._kop import Signatory

# DESIGN.md's `reports/summary` keys, in the contract's order (then the second wave's).
CONTRACT_METRICS = (
    "assets_count",
    "assets_value",
    "operational_pct",
    "can_record_today",
    "downtime_hours",
    "downtime_by_party",
    "idle_count",
    "idle_value",
    "turned_away",
    "open_tickets",
    "overdue_tickets",
    "oldest_ticket_days",
    "letters_sent",
    "trained_operators",
    "training_gaps",
    "blanko_balance",
    "days_of_cover",
    "coverage_pct",
    "letters_received",
    "letters_unanswered",
    "unreported_count",
    "unreported_value",
    "reporting_pct",
)


@dataclass(frozen=True)
class Figures:
    """Numbers of one kecamatan (or the Dinas, or the total).

    Stocks (counts, statuses, open tickets, balances, operators) are as of the packet's
    `as_of` date; flows (downtime, turned away, letters sent and received, blanko movements)
    cover the period; letters unanswered are counted at the period's end (see
    `assets_app.letters.queries.letter_stats`).
    In a kecamatan row `can_record_today` is True/False (None when the register is absent);
    in the total it is the number of kecamatan that can record.
    """

    # register (assets)
    assets_count: int = 0
    assets_value: int = 0
    operational_count: int = 0
    operational_pct: float | None = None
    can_record_today: bool | int | None = None
    # downtime within the period, in hours
    downtime_hours: float = 0.0
    downtime_by_party: Mapping[str, float] = field(default_factory=dict)
    downtime_by_cause: Mapping[str, float] = field(default_factory=dict)
    # idle equipment (as of the date): *tidak digunakan*, or reported zero use in the window
    idle_count: int = 0
    idle_value: int = 0
    # equipment operational through the window where the kecamatan filed no usage report
    unreported_count: int = 0
    unreported_value: int = 0
    # daily usage reporting within the period (Mon–Fri): reported ÷ expected working days
    reported_days: int = 0
    expected_days: int = 0
    reporting_pct: float | None = None
    last_report_on: date | None = None  # latest usage report up to the period end
    # daily usage within the period
    recorded: int = 0
    turned_away: int = 0
    # tickets and letters
    open_tickets: int = 0
    overdue_tickets: int = 0
    oldest_ticket_days: int | None = None
    letters_sent: int = 0  # outgoing letters of the Dinas sent in the period
    letters_received: int = 0  # incoming letters (e.g. from a camat) received in the period
    letters_unanswered: int = 0  # outgoing letters without a reply at the period's end
    awaiting_reply_days: int | None = None  # the oldest of those: days waiting at the end
    # training
    trained_operators: int = 0
    training_gaps: int = 0
    # blanko KTP-el (movements within the period, balance as of the date)
    # (reconciled per location: opening + received − distributed + returned − used − damaged
    # + adjusted = closing; in transit and short on receipt beside it; balance = closing)
    blanko_opening: int = 0
    blanko_received: int = 0
    blanko_received_external: int = 0  # the part of received that came from Ditjen Dukcapil
    blanko_distributed: int = 0
    blanko_returned: int = 0
    blanko_used: int = 0
    blanko_damaged: int = 0
    blanko_adjusted: int = 0
    blanko_closing: int = 0
    blanko_in_transit: int = 0
    blanko_short: int = 0
    blanko_low_locations: int = 0  # 1 for a low location's row; the total counts them
    blanko_balance: int = 0
    days_of_cover: float | None = None
    spoilage_pct: float | None = None
    # recording coverage (latest snapshot up to the date)
    wajib_ktp: int = 0
    sudah_rekam: int = 0
    coverage_pct: float | None = None

    @property
    def letters_awaiting_reply(self) -> int:
        """Former name of `letters_unanswered`, kept as a key of the API."""
        return self.letters_unanswered

    @classmethod
    def of(cls, values: Mapping) -> Figures:
        """The figures of `values` (metric names only; the rest take their defaults), as
        `Figures(**values)` gives them without the frozen `__init__`'s assignment per field:
        a national summary builds ~8,000 of them."""
        figures = object.__new__(cls)
        state = figures.__dict__
        state.update(_DEFAULTS)
        for name in _FRESH:
            state[name] = {}
        state.update(values)
        unknown = state.keys() - _DEFAULTS.keys()
        if unknown:
            raise TypeError(f"Figures: metrik tidak dikenal {sorted(unknown)}")
        return figures

    @classmethod
    def from_dict(cls, data: Mapping) -> Figures:
        """The figures `as_dict` gave (a stored summary, see hearing.snapshot)."""
        values = {name: data[name] for name in METRIC_KEYS if name in data}
        for name in _DATES:
            if values.get(name) is not None:
                values[name] = date.fromisoformat(values[name])
        return cls.of(values)

    def as_dict(self) -> dict:
        out = {name: getattr(self, name) for name in METRIC_KEYS}
        for name in _FRESH:
            out[name] = dict(out[name])
        for name in _DATES:
            if out[name] is not None:
                out[name] = out[name].isoformat()
        out["letters_awaiting_reply"] = self.letters_unanswered  # alias, same value
        return out


METRIC_KEYS = tuple(f.name for f in fields(Figures))
_FRESH = tuple(f.name for f in fields(Figures) if f.default_factory is not MISSING)
# in the fields' order (a fresh dict replaces each None of _FRESH in `Figures.of`)
_DEFAULTS = {f.name: None if f.name in _FRESH else f.default for f in fields(Figures)}
_DATES = tuple(f.name for f in fields(Figures) if "date" in str(f.type))


@dataclass(frozen=True)
class KecamatanRow:
    """One row of the packet's tables: a kecamatan (or a Dinas' own stock), or in a province
    packet one kab/kota (its kecamatan and its Dinas summed like a total)."""

    region_code: str
    name: str  # display name, e.g. "Kec. Pujer" or "Kantor Dinas Kabupaten Bondowoso"
    level: str  # "kecamatan", or "kabkota"/"provinsi" for the Dinas' own stock
    figures: Figures
    # kecamatan summed into a kab/kota row (province packet); its can_record_today is a count
    kecamatan_count: int | None = None


@dataclass(frozen=True)
class PurchaseLine:
    """Equipment acquired, grouped by year, funding source, item and unit price."""

    year: int
    funding_source: str  # label, e.g. "APBD"
    category: str  # label
    name: str
    brand_model: str | None
    quantity: int
    unit_price: int
    total_value: int


@dataclass(frozen=True)
class IdleAsset:
    region_code: str
    region_name: str
    name: str
    brand_model: str | None
    kode_barang: str
    register_no: str
    acquired_year: int | None
    funding_source: str | None
    unit_price: int
    since: date | None
    days_idle: int | None
    reason: str  # e.g. "Tidak ada operator terlatih"


@dataclass(frozen=True)
class LetterRef:
    number: str
    letter_date: date | None
    recipient: str
    replied_on: date | None = None


@dataclass(frozen=True)
class OverdueTicket:
    number: str
    region_code: str
    region_name: str
    title: str
    status: str  # label
    responsible_party: str | None  # label
    opened_on: date
    days_waiting: int
    letters: tuple[LetterRef, ...] = ()


@dataclass(frozen=True)
class TrainingGap:
    region_code: str
    region_name: str
    category: str  # label of the asset category
    assets_count: int
    assets_value: int
    certified_operators: int = 0


@dataclass(frozen=True)
class AreaCount:
    """How many items of a list one kab/kota holds (and their value, when the list has one)."""

    region_code: str
    name: str
    count: int
    value: int | None = None


@dataclass(frozen=True)
class ListCut:
    """A list of a province packet cut to its first items: the packet keeps `shown` of
    `total` items (the list's own order, most pressing first) and the count per kab/kota."""

    total: int
    value: int | None  # the whole list's value (idle equipment, training gaps), or None
    by_area: tuple[AreaCount, ...]
    # the idle list's main reasons over all its items (units), most frequent first
    reasons: tuple[tuple[str, int], ...] = ()

    def rest(self, shown: int) -> int:
        return max(self.total - shown, 0)


# Sections a packet may hold; `available` names the ones whose data the system has.
SECTIONS = {
    "assets": "Register aset",
    "downtime": "Waktu henti peralatan",
    "usage": "Pemakaian harian",
    "coverage": "Cakupan perekaman",
    "tickets": "Tiket perbaikan",
    "letters": "Surat",
    "training": "Pelatihan operator",
    "blanko": "Blanko KTP-el",
}


# Which section's data each metric comes from (a missing section shows "–", not zero).
METRIC_SECTION = {
    "assets_count": "assets",
    "assets_value": "assets",
    "operational_count": "assets",
    "operational_pct": "assets",
    "can_record_today": "assets",
    "idle_count": "assets",
    "idle_value": "assets",
    "unreported_count": "assets",
    "unreported_value": "assets",
    "reported_days": "usage",
    "expected_days": "usage",
    "reporting_pct": "usage",
    "last_report_on": "usage",
    "downtime_hours": "downtime",
    "downtime_by_party": "downtime",
    "downtime_by_cause": "downtime",
    "recorded": "usage",
    "turned_away": "usage",
    "open_tickets": "tickets",
    "overdue_tickets": "tickets",
    "oldest_ticket_days": "tickets",
    "letters_sent": "letters",
    "letters_received": "letters",
    "letters_unanswered": "letters",
    "letters_awaiting_reply": "letters",
    "awaiting_reply_days": "letters",
    "trained_operators": "training",
    "training_gaps": "training",
    "blanko_opening": "blanko",
    "blanko_received": "blanko",
    "blanko_received_external": "blanko",
    "blanko_returned": "blanko",
    "blanko_adjusted": "blanko",
    "blanko_closing": "blanko",
    "blanko_in_transit": "blanko",
    "blanko_short": "blanko",
    "blanko_low_locations": "blanko",
    "blanko_distributed": "blanko",
    "blanko_used": "blanko",
    "blanko_damaged": "blanko",
    "blanko_balance": "blanko",
    "days_of_cover": "blanko",
    "spoilage_pct": "blanko",
    "wajib_ktp": "coverage",
    "sudah_rekam": "coverage",
    "coverage_pct": "coverage",
}


@dataclass(frozen=True)
class FigureDefinition:
    """One entry of the packet's "Definisi angka" (from `assets_app.hearing.figures`)."""

    key: str
    name: str
    definition: str
    unit: str
    span: str  # "dalam periode" or "per tanggal keadaan"


@dataclass(frozen=True)
class HearingPacket:
    title: str
    kop: tuple[str, ...]  # letterhead lines, first the government, then the Dinas
    region_code: str
    scope_name: str  # e.g. "Kabupaten Bondowoso"
    period_start: date
    period_end: date
    # the moment of the point-in-time figures: the end of the period's last day, or the
    # generation instant while the period runs (aware); a plain date means the end of it
    as_of: date | datetime
    generated_at: datetime  # timezone-aware; the generation stamp
    author: str  # who compiled it: person, role, unit (or the DPRD line, see author_label)
    token: str
    verify_url: str
    rows: tuple[KecamatanRow, ...]
    total: Figures
    available: frozenset[str] = frozenset()
    purchases: tuple[PurchaseLine, ...] = ()
    idle_assets: tuple[IdleAsset, ...] = ()
    overdue_tickets: tuple[OverdueTicket, ...] = ()
    training_gaps: tuple[TrainingGap, ...] = ()
    author_label: str = "Disusun oleh"  # "Dibuat oleh" for a packet made by a DPRD account
    party_labels: tuple[tuple[str, str], ...] = ()  # (key, label) of responsible parties
    cause_labels: tuple[tuple[str, str], ...] = ()  # (key, label) of downtime causes
    idle_window_days: int = 30
    definitions: tuple[FigureDefinition, ...] = ()  # "Definisi angka" (hearing.figures)
    kop_logo: str | None = None  # absolute path of the lambang daerah
    approver: Signatory | None = None  # the official who approves the packet (`rdp`)
    approver_caption: str = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    # "kabkota": a province (or national) packet, one row per kab/kota instead of kecamatan
    unit: str = "kecamatan"
    # the lists cut at province scale, by section key (idle_assets, overdue_tickets, …)
    cuts: Mapping[str, ListCut] = field(default_factory=dict)

    @property
    def by_kabkota(self) -> bool:
        return self.unit == "kabkota"

    @property
    def kecamatan_rows(self) -> tuple[KecamatanRow, ...]:
        """The rows of the packet's unit: kecamatan, or kab/kota in a province packet (the
        Dinas' own rows left out)."""
        return tuple(r for r in self.rows if r.level == self.unit)

    @property
    def kecamatan_count(self) -> int:
        """Kecamatan in the area (the denominator of "dapat merekam hari ini")."""
        if self.by_kabkota:
            return sum(r.kecamatan_count or 0 for r in self.rows)
        return len(self.kecamatan_rows)

    @property
    def unit_label(self) -> str:
        return "Kabupaten/kota" if self.by_kabkota else "Kecamatan"

    def cut(self, key: str) -> ListCut | None:
        return self.cuts.get(key)

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    def has(self, section: str) -> bool:
        return section in self.available

    def party_label(self, key: str) -> str:
        return dict(self.party_labels).get(key, key)

    def cause_label(self, key: str) -> str:
        return dict(self.cause_labels).get(key, key)

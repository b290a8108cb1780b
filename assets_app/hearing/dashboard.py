"""The home-page dashboard and the summary page: cards and server-side SVG charts built from
the summary, each figure a link to the list behind it."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for

from assets_app.common import vocab
from assets_app.common.formatting import number, percent, rupiah
from assets_app.common.permissions import can
from assets_app.core.registry import home_section
from assets_app.hearing import services
from assets_app.hearing.summary import Summary
from reports.charts_rl import hbar_chart, to_svg
from reports.hearing_text import jam

# --- drill-down targets ------------------------------------------------------------------
# metric → endpoints to try, in order, with a function (region_code) -> url args. The first
# endpoint the app has wins; the fallback is the summary page focused on that figure.
DrillArgs = Callable[[str | None], dict | None]  # None: this target does not fit that region
DRILL: dict[str, list[tuple[str, DrillArgs]]] = {}


def drill_target(metric: str, endpoint: str, args: DrillArgs) -> None:
    """Registers the list behind a figure: a domain's filtered list (see providers/)."""
    DRILL.setdefault(metric, [])
    DRILL[metric] = [t for t in DRILL[metric] if t[0] != endpoint] + [(endpoint, args)]


FOCUS = {
    "can_record_today": "tidak_rekam",
    "idle_count": "menganggur",
    "idle_value": "menganggur",
    "overdue_tickets": "tiket_terlambat",
    "open_tickets": "tiket",
    "training_gaps": "kesenjangan",
    "downtime_hours": "henti",
}


def drill_url(metric: str, region_code: str | None, start=None, end=None) -> str:
    for endpoint, make_args in DRILL.get(metric, []):
        args = make_args(region_code)
        if args is not None and endpoint in current_app.view_functions:
            return url_for(endpoint, **args)
    args = {"region": region_code, "dari": start, "sampai": end, "tampil": FOCUS.get(metric)}
    return url_for("hearing.summary", **{k: v for k, v in args.items() if v}) + f"#{metric}"


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    note: str
    url: str
    available: bool


def cards(summary: Summary) -> list[Card]:
    t = summary.total
    code = summary.region_code
    n_kec = len(summary.kecamatan_rows)
    has = summary.available.__contains__
    s, e = summary.start.isoformat(), summary.end.isoformat()

    def card(key, label, value, note, section):
        return Card(key, label, value, note, drill_url(key, code, s, e), has(section))

    return [
        card(
            "assets_value",
            "Nilai peralatan",
            rupiah(t.assets_value),
            f"{number(t.assets_count)} unit",
            "assets",
        ),
        card(
            "operational_pct",
            "Peralatan operasional",
            percent(t.operational_pct),
            f"{number(t.operational_count)} dari {number(t.assets_count)} unit",
            "assets",
        ),
        card(
            "can_record_today",
            "Kecamatan dapat merekam hari ini",
            f"{number(t.can_record_today or 0)} / {number(n_kec)}",
            "punya alat perekaman operasional",
            "assets",
        ),
        card(
            "idle_value",
            "Nilai peralatan menganggur",
            rupiah(t.idle_value),
            f"{number(t.idle_count)} unit",
            "assets",
        ),
        card(
            "downtime_hours",
            "Waktu henti peralatan",
            f"{jam(t.downtime_hours)} jam",
            "selama periode",
            "downtime",
        ),
        card(
            "turned_away",
            "Warga ditolak",
            number(t.turned_away),
            f"{number(t.recorded)} perekaman selama periode",
            "usage",
        ),
        card(
            "overdue_tickets",
            "Tiket melewati batas waktu",
            number(t.overdue_tickets),
            f"dari {number(t.open_tickets)} tiket terbuka",
            "tickets",
        ),
        card(
            "oldest_ticket_days",
            "Tiket terbuka tertua",
            f"{number(t.oldest_ticket_days)} hari" if t.oldest_ticket_days is not None else "–",
            f"{number(t.letters_sent)} surat dikirim selama periode",
            "tickets",
        ),
        card(
            "training_gaps",
            "Kesenjangan operator terlatih",
            number(t.training_gaps),
            f"{number(t.trained_operators)} operator bersertifikat",
            "training",
        ),
        card(
            "blanko_balance",
            "Saldo blanko KTP-el",
            number(t.blanko_balance),
            (
                f"cukup ± {number(t.days_of_cover, 1)} hari"
                if t.days_of_cover is not None
                else "laju pemakaian belum ada"
            ),
            "blanko",
        ),
        card(
            "coverage_pct",
            "Cakupan perekaman KTP-el",
            percent(t.coverage_pct),
            f"{number(t.sudah_rekam)} dari {number(t.wajib_ktp)} wajib KTP-el"
            if t.wajib_ktp
            else "belum ada data cakupan",
            "coverage",
        ),
    ]


def _svg_uri(drawing) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(drawing).encode()).decode()


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    image: str  # data: URI of the SVG
    items: list  # (label, value text, url)


def charts(summary: Summary) -> list[Chart]:
    t = summary.total
    out = []
    s, e = summary.start.isoformat(), summary.end.isoformat()
    parties = sorted(t.downtime_by_party.items(), key=lambda kv: (-kv[1], kv[0]))
    if "downtime" in summary.available:
        labelled = [(vocab.label(vocab.RESPONSIBLE_PARTY, k), v) for k, v in parties]
        drawing = hbar_chart(
            labelled, width=520, label_width=130, value_format=lambda v: f"{jam(v)} jam"
        )
        url = drill_url("downtime_hours", summary.region_code, s, e)
        out.append(
            Chart(
                "downtime_by_party",
                "Waktu henti menurut pihak penanggung jawab",
                _svg_uri(drawing),
                [(label, f"{jam(v)} jam", url) for label, v in labelled],
            )
        )
    idle = sorted(
        (r for r in summary.rows if r.figures.idle_value),
        key=lambda r: (-r.figures.idle_value, r.region_code),
    )[:8]
    if "assets" in summary.available:
        drawing = hbar_chart(
            [(r.name, r.figures.idle_value) for r in idle],
            width=520,
            label_width=150,
            value_format=rupiah,
            color="#c0392b",
            empty_text="Tidak ada peralatan menganggur",
        )
        out.append(
            Chart(
                "idle_by_kecamatan",
                "Nilai peralatan menganggur per kecamatan (terbesar)",
                _svg_uri(drawing),
                [
                    (r.name, rupiah(r.figures.idle_value), drill_url("idle_value", r.region_code))
                    for r in idle
                ],
            )
        )
    return out


@home_section("hearing_dashboard", "hearing/_home.html", order=10)
def home_dashboard(user) -> dict | None:
    if not can(user, "reports.view"):
        return None
    region = services.resolve_region(user, None)
    start, end = services.default_period()
    summary = services.summary_for(user, region, start, end, today=end)
    return {"summary": summary, "cards": cards(summary), "charts": charts(summary)}

"""The catalogue of figures (hearing.figures): one definition per figure, on every surface."""

from __future__ import annotations

import importlib
from dataclasses import fields
from html import escape
from io import BytesIO
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from assets_app.hearing import dashboard
from assets_app.hearing.figures import (
    CATALOGUE,
    FIGURES,
    PENDING,
    SPANS,
    markdown,
    packet_definitions,
    tooltip,
)
from reports.hearing_data import Figures
from reports.hearing_pdf import render_hearing_pdf
from reports.hearing_xlsx import render_hearing_xlsx
from tests.hearing.helpers import make_asset
from tests.reports.hearing_sample import make_packet

DOCS = Path(__file__).resolve().parents[2] / "docs" / "FIGURES.md"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_figures_field_has_an_entry():
    missing = [f.name for f in fields(Figures) if f.name not in CATALOGUE]
    assert missing == []


def test_every_dashboard_card_and_page_figure_has_an_entry():
    cards = [key for key, *_ in dashboard.CARDS]
    assert [k for k in (*cards, *dashboard.PAGE_FIGURES) if k not in CATALOGUE] == []


def test_every_api_key_has_an_entry(users):
    from assets_app.hearing.summary import build_summary

    api = build_summary(users["kadis"], "35.11", *_period()).as_api()
    keys = {"as_of", *api["total"], *(k for row in api["kecamatan"] for k in row)}
    keys -= {"region_code", "name", "level"}  # the row's identity, not figures
    assert sorted(k for k in keys if k not in CATALOGUE) == []


def _period():
    from datetime import date

    return date(2026, 1, 1), date(2026, 6, 30)


def test_entries_are_complete_and_name_real_functions():
    assert len(CATALOGUE) == len(FIGURES)  # keys are unique
    for f in FIGURES:
        assert f.name and f.definition.endswith(".") and f.unit and f.source, f.key
        assert f.span in SPANS, f.key
        assert f.alias_of is None or f.alias_of in CATALOGUE, f.key
        for path in f.functions:
            if path == PENDING:
                continue
            module, _, name = path.rpartition(".")
            assert callable(getattr(importlib.import_module(module), name)), path


def test_the_figures_under_redefinition_are_catalogued():
    for key in (
        "unreported_count",
        "unreported_value",
        "reporting_pct",
        "blanko_opening",
        "blanko_returned",
        "blanko_adjusted",
        "blanko_in_transit",
        "blanko_closing",
        "blanko_low_stock",
        "letters_sent",
        "letters_received",
        "letters_unanswered",
    ):
        assert key in CATALOGUE, key
    assert CATALOGUE["letters_sent"].span == "periode"
    assert CATALOGUE["letters_unanswered"].span == "saat"
    assert CATALOGUE["letters_sent"].functions == ("assets_app.letters.queries.letter_stats",)


def test_docs_figures_md_is_generated_from_the_catalogue():
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/FIGURES.md is out of date: python -m assets_app.hearing.figures > docs/FIGURES.md"
    )


def test_dashboard_cards_carry_the_definition_as_tooltip(users, client, login):
    make_asset("35.11.05", status="tidak_digunakan")
    login(users["dprd"])
    page = client.get("/beranda").get_data(as_text=True)
    for key, *_ in dashboard.CARDS:
        assert f'data-testid="card-{key}" title="{escape(tooltip(key))}"' in page, key
    assert 'href="/laporan/ringkasan#definisi"' in page


def test_summary_page_has_tooltips_and_footnotes(users, client, login):
    make_asset("35.11.05", status="tidak_digunakan")
    login(users["kadis"])
    page = client.get("/laporan/ringkasan").get_data(as_text=True)
    assert f'title="{escape(tooltip("turned_away"))}">Ditolak</th>' in page
    assert f'title="{escape(tooltip("as_of"))}"' in page
    assert 'id="definisi"' in page and 'id="def-idle_value"' in page
    assert escape(CATALOGUE["letters_unanswered"].definition) in page


def test_packet_pdf_has_the_definitions_section():
    packet = make_packet(3)
    text = _flat(
        " ".join(p.extract_text() for p in PdfReader(BytesIO(render_hearing_pdf(packet))).pages)
    )
    assert "9. Definisi angka" in text
    for key in ("idle_value", "letters_unanswered", "days_of_cover"):
        assert _flat(CATALOGUE[key].definition) in text, key
    assert "per tanggal keadaan" in text and "dalam periode" in text


def test_packet_xlsx_has_the_definitions_sheet():
    packet = make_packet(3)
    wb = openpyxl.load_workbook(BytesIO(render_hearing_xlsx(packet)))
    ws = wb["Definisi"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    by_key = {r[0]: r for r in rows if r[0]}
    assert set(by_key) == {d.key for d in packet.definitions}
    f = CATALOGUE["turned_away"]
    assert by_key["turned_away"][1:] == [f.name, f.definition, f.unit, f.span_text]


def test_generated_packet_carries_every_shown_figure_but_no_alias(app, users):
    from datetime import date

    from assets_app.hearing import services

    make_asset("35.11.05", status="tidak_digunakan")
    result = services.generate_packet(
        users["petugas"], "35.11", date(2026, 1, 1), date(2026, 6, 30), base_url="https://x.example"
    )
    keys = {d.key for d in packet_definitions()}
    assert {f.name for f in fields(Figures)} | {"as_of", "kecamatan_count"} == keys
    assert "letters_awaiting_reply" not in keys
    ws = openpyxl.load_workbook(BytesIO(result.xlsx))["Definisi"]
    assert {r[0].value for r in ws.iter_rows(min_row=2) if r[0].value} == keys
    pdf = _flat(" ".join(p.extract_text() for p in PdfReader(BytesIO(result.pdf)).pages))
    assert "Definisi angka" in pdf and _flat(CATALOGUE["idle_count"].definition) in pdf

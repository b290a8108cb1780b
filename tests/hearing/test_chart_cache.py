"""The dashboard draws a chart once per set of figures: the same bars give the same SVG from
memory; other numbers, labels or value texts draw anew; the memory stays bounded."""

from __future__ import annotations

from assets_app.hearing import dashboard


def test_the_same_figures_are_drawn_once(monkeypatch):
    drawn = []
    real = dashboard.hbar_chart

    def counting(items, **kwargs):
        drawn.append(tuple(items))
        return real(items, **kwargs)

    monkeypatch.setattr(dashboard, "hbar_chart", counting)
    monkeypatch.setattr(dashboard, "_DRAWN", type(dashboard._DRAWN)())
    items = [("Kec. Pujer", 12.5), ("Kec. Maesan", 3.0)]
    first = dashboard._drawings(items, 130, 112, value_format=lambda v: f"{v} jam")
    again = dashboard._drawings(list(items), 130, 112, value_format=lambda v: f"{v} jam")
    assert again == first and len(drawn) == 2  # wide + narrow, drawn once
    # another value text, another number or another colour: drawn anew
    dashboard._drawings(items, 130, 112, value_format=lambda v: f"Rp{v}")
    dashboard._drawings([("Kec. Pujer", 12.6), ("Kec. Maesan", 3.0)], 130, 112)
    dashboard._drawings(items, 130, 112, color="#c0392b")
    assert len(drawn) == 8
    for i in range(dashboard._DRAWN_MAX + 5):
        dashboard._drawings([("Kec. Pujer", float(i))], 130, 112)
    assert len(dashboard._DRAWN) == dashboard._DRAWN_MAX

"""Panels other domains add to the region (kecamatan) page, without the page knowing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable  # (region, user) -> dict | None; None hides the panel
    order: int
    levels: tuple[str, ...]


PANELS: list[Panel] = []


def region_panel(
    key: str,
    title: str,
    template: str,
    *,
    order: int = 50,
    levels: tuple[str, ...] = ("kecamatan",),
):
    def decorator(fn):
        PANELS[:] = [p for p in PANELS if p.key != key]
        PANELS.append(Panel(key, title, template, fn, order, levels))
        PANELS.sort(key=lambda p: p.order)
        return fn

    return decorator


def panels_for(region, user) -> list[tuple[Panel, dict]]:
    """The panels of the region's level that have something to show, with their context."""
    shown = []
    for panel in PANELS:
        if region.level in panel.levels:
            ctx = panel.context(region, user)
            if ctx is not None:
                shown.append((panel, ctx))
    return shown

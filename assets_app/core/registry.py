"""Extension points shared by the domains: navigation entries and home-page sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str  # permission action (common.permissions) the user needs to see it
    order: int = 50
    group: str | None = None  # items sharing a group become one dropdown


NAV: list[NavItem] = []


def nav_item(label: str, endpoint: str, action: str, order: int = 50, group: str | None = None):
    NAV[:] = [n for n in NAV if n.endpoint != endpoint]
    NAV.append(NavItem(label, endpoint, action, order, group))
    NAV.sort(key=lambda n: n.order)


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable  # (user) -> dict | None
    order: int


HOME_SECTIONS: list[HomeSection] = []


def home_section(key: str, template: str, order: int = 50):
    """Registers a block of the home page (the dashboard issue fills it with figures)."""

    def decorator(fn):
        HOME_SECTIONS[:] = [s for s in HOME_SECTIONS if s.key != key]
        HOME_SECTIONS.append(HomeSection(key, template, fn, order))
        HOME_SECTIONS.sort(key=lambda s: s.order)
        return fn

    return decorator

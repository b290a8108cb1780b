"""Extension points shared by the domains: navigation entries and demo-data steps."""

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
class DemoStep:
    name: str
    fn: Callable[[], str | None]  # returns a one-line summary
    order: int


DEMO_STEPS: list[DemoStep] = []


def demo_step(name: str, order: int = 50):
    """Registers an idempotent demo loader; `flask demo load` runs them all in order."""

    def decorator(fn):
        DEMO_STEPS[:] = [s for s in DEMO_STEPS if s.name != name]
        DEMO_STEPS.append(DemoStep(name, fn, order))
        DEMO_STEPS.sort(key=lambda s: s.order)
        return fn

    return decorator


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

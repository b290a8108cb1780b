"""A ticket's badges in lists, panels and its page: status, priority and the SLA cell.

Python, not Jinja macros: a 25-row list called three macros per row, and a macro call's
frame cost more than the row's own markup (about 1 ms a page)."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from assets_app.common.formatting import waktu

STATUS_CLASS = {
    "baru": "bg-info text-dark",
    "diterima": "bg-primary",
    "dikerjakan": "bg-warning text-dark",
    "menunggu_pihak_ketiga": "bg-secondary",
    "selesai": "bg-success",
    "ditutup": "bg-dark",
}
PRIORITY_CLASS = {
    "kritis": "bg-danger",
    "tinggi": "bg-warning text-dark",
    "sedang": "bg-info text-dark",
    "rendah": "bg-light text-dark border",
}
OTHER = "bg-light text-dark"


def status_badge(t) -> Markup:
    cls = STATUS_CLASS.get(t.status, OTHER)
    return Markup(
        f'<span class="badge {cls}" data-testid="status-badge">{escape(t.status_label)}</span>'
    )


def priority_badge(t) -> Markup:
    cls = PRIORITY_CLASS.get(t.priority, OTHER)
    return Markup(f'<span class="badge {cls}">{escape(t.priority_label)}</span>')


def due_cell(t, now: datetime) -> Markup:
    """What the SLA says of an open ticket at `now`: late since when, paused, or the next
    deadline (accept while new, else resolve)."""
    if not t.is_open:
        return Markup('<span class="text-muted">–</span>')
    if t.is_overdue(now):
        since = (
            t.resolve_due_at if t.resolve_due_at and t.resolve_due_at <= now else t.accept_due_at
        )
        return Markup(
            '<span class="badge bg-danger">terlambat</span> '
            f'<span class="small text-muted d-block">sejak {escape(waktu(since))}</span>'
        )
    if t.status == "menunggu_pihak_ketiga":
        return Markup('<span class="badge bg-secondary">SLA dijeda</span>')
    if t.status == "baru" and t.accept_due_at:
        return Markup(f'<span class="small">terima sebelum {escape(waktu(t.accept_due_at))}</span>')
    if t.resolve_due_at:
        return Markup(
            f'<span class="small">selesai sebelum {escape(waktu(t.resolve_due_at))}</span>'
        )
    return Markup("")


def init_app(app) -> None:
    app.jinja_env.globals.update(
        ticket_status_badge=status_badge,
        ticket_priority_badge=priority_badge,
        ticket_due_cell=due_cell,
    )

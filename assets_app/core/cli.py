from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import click
from flask.cli import AppGroup

from assets_app.common.bulk import analyze
from assets_app.common.cli import cli_transaction
from assets_app.extensions import db

demo_cli = AppGroup("demo", help="Data demo.")


class DemoStep(NamedTuple):
    name: str
    fn: Callable[[], str | None]  # idempotent; returns a one-line summary


def demo_steps() -> list[DemoStep]:
    """The demo loaders in the order they build on each other: regions, then the users who
    work in them, the register, tickets about its equipment, the daily usage (which follows
    the equipment's status, repairs included), training, blanko, and last the hearing packet
    over all of it, then the notices the scheduled jobs write about it."""
    from assets_app.assets import demo as assets
    from assets_app.auth import demo as users
    from assets_app.blanko import demo as blanko
    from assets_app.field import demo as field
    from assets_app.hearing import demo as hearing
    from assets_app.notify import demo as notify
    from assets_app.officials import demo as officials
    from assets_app.regions import demo as regions
    from assets_app.tickets import demo as tickets
    from assets_app.training import demo as training

    return [
        DemoStep("Wilayah", regions.load_demo),
        DemoStep("Pengguna demo", users.load_demo),
        DemoStep("Pejabat dan kop", officials.load_demo),
        DemoStep("Aset", assets.load_demo),
        DemoStep("Tiket", tickets.demo_tickets),
        DemoStep("Pemakaian harian", assets.load_usage_demo),  # after the tickets' repairs
        DemoStep("Pelatihan", training.load_demo),
        DemoStep("Blanko", blanko.load_demo),
        DemoStep("Laporan harian dan papan layanan", field.load_demo),  # after the stock
        DemoStep("Laporan DPRD", hearing.load_demo),
        DemoStep("Notifikasi", notify.load_demo),  # last: the jobs read everything above
    ]


@demo_cli.command("load")
def demo_load():
    """Memuat data demo untuk empat kab/kota contoh (aman dijalankan berulang)."""
    with cli_transaction("demo load"):
        for step in demo_steps():
            summary = step.fn()
            if summary:
                click.echo(f"{step.name}: {summary}")
        analyze(db.session)  # a bulk load: fresh planner statistics for every table
    click.echo("Data demo siap.")

from __future__ import annotations

import click
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction

tickets_cli = AppGroup("tickets", help="Tiket perbaikan.")


@tickets_cli.command("escalate")
@click.option("--verbose", "-v", is_flag=True, help="Cetak setiap tiket yang naik tingkat.")
def escalate(verbose):
    """Menerapkan eskalasi SLA sekarang (aman dijalankan berulang; untuk cron)."""
    from assets_app.tickets.escalation import escalate as run

    with cli_transaction("tickets escalate"):
        result = run()
    if verbose:
        for number, old, new in result.raised:
            click.echo(f"{number}: tingkat {old} → {new}")
    click.echo(result.summary)

from __future__ import annotations

import click
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction

demo_cli = AppGroup("demo", help="Data demo.")


@demo_cli.command("load")
def demo_load():
    """Memuat data demo untuk empat kab/kota contoh (aman dijalankan berulang)."""
    from assets_app.core.registry import DEMO_STEPS

    with cli_transaction("demo load"):
        for step in DEMO_STEPS:
            summary = step.fn()
            if summary:
                click.echo(f"{step.name}: {summary}")
    click.echo("Data demo siap.")

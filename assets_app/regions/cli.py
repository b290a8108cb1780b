from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction

regions_cli = AppGroup("regions", help="Data wilayah Kemendagri.")


@regions_cli.command("load")
@click.argument("codes", nargs=-1)
def load(codes):
    """Memuat wilayah beserta seluruh bawahannya (bawaan: empat kab/kota demo)."""
    from assets_app.regions.services import load_regions

    codes = codes or current_app.config["DEMO_REGIONS"]
    with cli_transaction("regions load"):
        result = load_regions(list(codes))
    click.echo(
        f"Wilayah dimuat: {result['total']} (baru {result['added']}, diperbarui {result['updated']})."
    )

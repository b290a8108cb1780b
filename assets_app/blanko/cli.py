from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from assets_app.common.formatting import number

blanko_cli = AppGroup("blanko", help="Stok blanko KTP-el.")


@blanko_cli.command("check")
def check():
    """Mencocokkan saldo setiap lokasi dan nomor seri dengan buku mutasi (kode keluar 1 bila ada
    selisih)."""
    from assets_app.blanko.check import check_ledger
    from assets_app.extensions import db

    try:
        result = check_ledger()
    finally:
        db.session.rollback()
    if result.ok:
        click.echo(
            f"Buku blanko konsisten: {number(result.locations)} lokasi, "
            f"{number(result.movements)} mutasi, {number(result.serial_ranges)} rentang nomor seri."
        )
        return
    for line in result.mismatches:
        click.echo(f"Selisih: {line}", err=True)
    click.echo(
        f"Galat: {number(len(result.mismatches))} selisih ditemukan antara saldo dan buku mutasi "
        f"({number(result.locations)} lokasi, {number(result.movements)} mutasi).",
        err=True,
    )
    sys.exit(1)

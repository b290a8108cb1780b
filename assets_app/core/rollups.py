"""Daily rollups: per kecamatan (or blanko location) per day, the sums a period figure needs,
so that a figure over months reads O(regions × days) rows instead of scanning the ledgers.

Each domain owns its rollup table and keeps it current in the same transaction as the write
that changes it; this module only knows the list (`core.registry.rollup_providers`) and runs
the two operator commands over it:

    flask rollups rebuild [--region KODE]   recompute from the ledgers (one transaction)
    flask rollups check   [--region KODE]   compare with a recomputation; exit 1 on a difference
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction, fail
from assets_app.extensions import db


@dataclass(frozen=True)
class Rollup:
    """One domain's rollup. `rebuild(region)` deletes and recomputes the rows of the region's
    subtree (all when None) and returns how many it wrote; `check(region)` returns one line
    per difference between the stored rows and a recomputation (empty when they agree)."""

    name: str
    rebuild: Callable[[str | None], int]
    check: Callable[[str | None], list[str]]


def rollups() -> tuple[Rollup, ...]:
    from assets_app.core.registry import rollup_providers

    return rollup_providers()


def rebuild_all(region: str | None = None) -> dict[str, int]:
    return {r.name: r.rebuild(region) for r in rollups()}


def check_all(region: str | None = None) -> dict[str, list[str]]:
    return {r.name: r.check(region) for r in rollups()}


rollups_cli = AppGroup("rollups", help="Rekap harian (rollup) per kecamatan per hari.")
MAX_SHOWN = 50


def _region_option(fn):
    return click.option(
        "--region", default=None, help="Kode wilayah (default: seluruh instalasi)."
    )(fn)


def _check_region(code: str | None) -> None:
    from assets_app.regions.models import Region

    if code and db.session.get(Region, code) is None:
        fail(f"--region: wilayah {code} tidak dikenal.")


@rollups_cli.command("rebuild")
@_region_option
def rebuild_cmd(region):
    """Hitung ulang rekap harian dari buku besar (satu transaksi)."""
    _check_region(region)
    with cli_transaction("rollups-rebuild"):
        written = rebuild_all(region)
    for name, n in written.items():
        click.echo(f"{name}: {n} baris")
    if not written:
        click.echo("Belum ada rekap harian yang terdaftar.")


@rollups_cli.command("check")
@_region_option
def check_cmd(region):
    """Bandingkan rekap harian dengan perhitungan ulang dari buku besar."""
    _check_region(region)
    results = check_all(region)
    bad = 0
    for name, lines in results.items():
        if not lines:
            click.echo(f"{name}: cocok")
            continue
        bad += len(lines)
        click.echo(f"{name}: {len(lines)} selisih")
        for line in lines[:MAX_SHOWN]:
            click.echo(f"  {line}")
    db.session.rollback()
    if bad:
        fail(f"{bad} selisih antara rekap harian dan buku besar.")

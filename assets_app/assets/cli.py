"""`flask assets template|import|export|labels` (DESIGN.md CLI contract)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from assets_app.assets import queries
from assets_app.common.cli import cli_transaction, fail
from assets_app.common.formatting import number, rupiah

assets_cli = AppGroup("assets", help="Register aset KIB B: templat, impor, ekspor, label QR.")


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    if not target.parent.exists():
        fail(f"Folder {target.parent} tidak ada.")
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)  # never a half-written file under the final name


def _region_filter(region: str | None):
    from assets_app.extensions import db
    from assets_app.regions.models import Region

    if region and db.session.get(Region, region) is None:
        fail(f"Kode wilayah {region} tidak dikenal.")
    return queries.AssetFilter(region=region)


@assets_cli.command("template")
@click.option("--out", "out", required=True, help="Berkas .xlsx tujuan.")
def template_cmd(out):
    """Menulis templat impor register aset (kolom sesuai kontrak)."""
    from assets_app.assets.documents import asset_template

    _write(out, asset_template())
    click.echo(f"Templat impor ditulis ke {out}")


@assets_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa; tidak menyimpan apa pun.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["standar", "ebmd", "simda"]),
    default="standar",
    help="Tata letak berkas: templat aplikasi, e-BMD (XLSX) atau SIMDA BMD (CSV).",
)
def import_cmd(path, dry_run, fmt):
    """Mengimpor register aset dari XLSX/CSV: semua baris atau tidak sama sekali."""
    from assets_app.assets import formats, importer, services

    file = Path(path)
    if not file.is_file():
        fail(f"Berkas {path} tidak ditemukan.")
    max_bytes = int(current_app.config.get("IMPORT_MAX_BYTES", importer.DEFAULT_MAX_BYTES))
    with file.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    actor = services.SystemActor(username="cli")
    with cli_transaction("assets import"):
        try:
            if fmt == "standar":
                result = importer.import_assets(data, actor, dry_run=dry_run)
            else:
                result = formats.import_register(data, fmt, actor, dry_run=dry_run)
        except importer.ImportFailed as e:
            for message in e.messages:
                click.echo(f"Galat: {message}", err=True)
            click.echo(
                f"Tidak ada yang diimpor: {number(len(e.messages))} masalah ditemukan.", err=True
            )
            sys.exit(1)
    word = "dapat diimpor (uji, tidak disimpan)" if dry_run else "diimpor"
    click.echo(
        f"{number(result.count)} aset {word}; nilai {rupiah(result.value)}; "
        f"{result.seconds:.1f} detik."
    )


@assets_cli.command("export")
@click.option("--region", default=None, help="Kode wilayah (beserta bawahannya).")
@click.option("--out", "out", required=True, help="Berkas tujuan (.xlsx; .csv untuk simda).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["lengkap", "kib", "ebmd", "simda"]),
    default="lengkap",
    help="lengkap (24 kolom), kib (KIB B klasik 16 kolom), ebmd (e-BMD), simda (Ta_KIB_B CSV).",
)
def export_cmd(region, out, fmt):
    """Mengekspor register KIB B (aset dihapuskan tidak ikut)."""
    from assets_app.assets import formats, services
    from assets_app.exports.services import threshold

    f = _region_filter(region)
    target = Path(out)
    if not target.parent.exists():
        fail(f"Folder {target.parent} tidak ada.")
    actor = services.SystemActor()
    total = formats.count_register(actor, f)
    counted = {"rows": 0, "value": 0}

    def wrap(rows):
        # Streams to the file; a big export tells stderr how far it is (every 10%).
        step = max(1, total // 10)
        for n, row in enumerate(rows, start=1):
            counted["rows"], counted["value"] = n, counted["value"] + int(row.unit_price)
            if total > threshold() and n % step == 0:
                click.echo(f"… {number(n)} dari {number(total)} baris", err=True)
            yield row

    tmp = target.with_name(target.name + ".tmp")
    try:
        with tmp.open("wb") as fh:
            formats.write_register(actor, f, fmt, fh, wrap=wrap)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never a half-written file left behind
        raise
    tmp.replace(target)
    if fmt == "lengkap":
        click.echo(
            f"{number(counted['rows'])} aset (nilai {rupiah(counted['value'])}) ditulis ke {out}"
        )
    else:
        click.echo(f"Register ({formats.FORMATS[fmt]}) ditulis ke {out}")


@assets_cli.command("labels")
@click.option("--region", default=None, help="Kode wilayah (beserta bawahannya).")
@click.option("--out", "out", required=True, help="Berkas .pdf tujuan.")
def labels_cmd(region, out):
    """Menulis PDF label QR (A4, 3 × 7) untuk aset di wilayah itu."""
    from assets_app.assets import documents, services
    from assets_app.common.errors import DomainError
    from reports.labels_pdf import render_labels_pdf

    f = _region_filter(region)
    from assets_app.core.public_url import cli_base_url, warning

    base = cli_base_url()
    if (note := warning()) is not None:
        click.echo(f"Peringatan: {note}", err=True)
    try:
        items = documents.label_items(services.SystemActor(), f, base)
    except DomainError as e:
        fail(e.message)
    _write(out, render_labels_pdf(items, title="Label aset Disdukcapil"))
    pages = max(1, -(-len(items) // 21))
    click.echo(f"{number(len(items))} label ({pages} halaman) ditulis ke {out}")
    if not items:
        click.echo("Peringatan: tidak ada aset di wilayah itu.", err=True)
        sys.exit(0)

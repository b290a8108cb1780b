from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction, fail
from assets_app.common.errors import DomainError, ValidationFailed
from assets_app.hearing.period import parse_period

reports_cli = AppGroup("reports", help="Laporan: paket RDP DPRD dan verifikasinya.")


@reports_cli.command("hearing")
@click.option("--region", "region", default=None, help="Kode wilayah (provinsi/kab/kota/kec).")
@click.option("--from", "start", default=None, help="Tanggal mulai YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="Tanggal selesai YYYY-MM-DD.")
@click.option("--out-dir", "out_dir", default=None, help="Folder tujuan PDF dan XLSX.")
@click.option(
    "--by",
    "by",
    default=None,
    help="Nama pengguna penyusun (sampul: nama, peran, unit; cakupan pengguna itu). Tanpa "
    "--by sampul menyebut 'disusun dengan perintah flask oleh operator server'.",
)
def hearing(region, start, end, out_dir, by):
    """Membuat paket RDP DPRD (PDF + XLSX), mengarsipkannya, dan mencetak SHA-256 tiap berkas."""
    from assets_app.hearing import services

    missing = [
        opt
        for opt, value in (
            ("--region", region),
            ("--from", start),
            ("--to", end),
            ("--out-dir", out_dir),
        )
        if not value
    ]
    if missing:
        fail(f"Opsi wajib belum diisi: {', '.join(missing)}.", code=2)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        fail(f"{out_dir} bukan folder.")
    from assets_app.core.public_url import cli_base_url, warning

    base_url = cli_base_url()
    if (note := warning()) is not None:
        click.echo(f"Peringatan: {note}", err=True)
    written: list[Path] = []
    try:
        with cli_transaction("reports hearing"):
            author = services.user_by_username(by) if by else None
            first, last = _period(region, start, end)
            generated = services.generate_packet(author, region, first, last, base_url=base_url)
            written = _copy_out(generated, out, out_dir)
    except BaseException:
        for path in written:  # the archived files go with the rollback (services._archive)
            path.unlink(missing_ok=True)
        raise
    report = generated.report
    click.echo(f"Paket laporan RDP #{report.id} dibuat dan diarsipkan: {report.scope_name}.")
    for path, kind in zip(written, ("pdf", "xlsx"), strict=True):
        click.echo(f"{path}  SHA-256 {report.sha256(kind)}")
    click.echo(f"Verifikasi: {report.options['verify_url']}")
    if note is not None:  # again after the paths, where the operator looks
        click.echo(f"Peringatan: {note}", err=True)


def _period(region, start, end):
    """The period as dates; a wrong date and a wrong area are reported together."""
    from assets_app.hearing import services

    try:
        return parse_period(start, end)
    except DomainError as bad_dates:
        try:
            services.resolve_region(None, region)
        except DomainError as bad_region:
            raise ValidationFailed(errors={**bad_region.errors, **bad_dates.errors}) from None
        raise


def _copy_out(generated, out: Path, out_dir: str) -> list[Path]:
    written: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for kind, data in (("pdf", generated.pdf), ("xlsx", generated.xlsx)):
            target = out / Path(generated.report.path(kind)).name
            target.write_bytes(data)
            written.append(target)
    except OSError as e:
        for path in written:
            path.unlink(missing_ok=True)
        fail(f"Tidak dapat menulis ke {out_dir}: {e.strerror or e}.")
    return written


@reports_cli.command("verify")
@click.argument("file", type=click.Path(dir_okay=False))
def verify(file):
    """Memeriksa apakah FILE adalah berkas paket yang diarsipkan sistem ini, dan paket mana."""
    from assets_app.hearing import queries, services

    path = Path(file)
    if not path.is_file():
        fail(f"Berkas {file} tidak ditemukan.")
    with path.open("rb") as fh:
        digest = services.sha256_stream(fh)
    found = queries.find_by_hash(digest)
    if found is None:
        click.echo(
            f"tidak cocok: {file} (SHA-256 {digest}) tidak sama dengan berkas paket mana pun "
            "yang diarsipkan sistem ini."
        )
        sys.exit(1)
    report, kind = found
    click.echo(f"cocok: {file} adalah {services.describe(report, kind)}.")
    click.echo(f"SHA-256 {digest}")
    click.echo(f"Verifikasi: {report.options.get('verify_url', '')}")

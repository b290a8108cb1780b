"""`flask exports list|cleanup`: the stored export jobs, and removing expired files (cron)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction
from assets_app.common.formatting import number

exports_cli = AppGroup("exports", help="Ekspor besar yang ditulis di latar belakang.")


@exports_cli.command("cleanup")
def cleanup_cmd():
    """Menghapus berkas ekspor kedaluwarsa dan sisa proses yang mati."""
    from assets_app.exports import services

    with cli_transaction("exports cleanup"):
        stale = services.reap_stale()
        files, rows = services.cleanup_expired()
    click.echo(
        f"{number(files)} berkas dihapus, {number(rows)} catatan lama dihapus, "
        f"{number(stale)} ekspor terhenti ditandai gagal."
    )


@exports_cli.command("list")
def list_cmd():
    """Ekspor terakhir: nomor, status, kemajuan, berkas."""
    from assets_app.exports.models import ExportJob
    from assets_app.extensions import db

    stmt = sa.select(ExportJob).order_by(ExportJob.id.desc()).limit(50)
    for job in db.session.scalars(stmt):
        click.echo(
            f"{job.id}\t{job.status}\t{job.rows_done}/{job.rows_total}\t"
            f"{job.region_code or '-'}\t{job.download_name}"
        )

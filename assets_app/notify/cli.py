"""`flask jobs run|list` and `flask notify test`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction, fail

jobs_cli = AppGroup("jobs", help="Tugas terjadwal (jalankan `flask jobs run` tiap 5 menit).")
notify_cli = AppGroup("notify", help="Notifikasi: e-mail dan WhatsApp.")


def _warn_base_url():
    from assets_app.notify.services import base_url_warning

    warning = base_url_warning()
    if warning:
        click.echo(f"Peringatan: {warning}", err=True)


@jobs_cli.command("run")
@click.option("--only", default=None, help="Hanya tugas bernama ini.")
@click.option("--force", is_flag=True, help="Jalankan walau belum jatuh tempo (dengan --only).")
def run(only, force):
    """Menjalankan setiap tugas yang jatuh tempo sekali, lalu mengirim kotak keluar."""
    from assets_app.notify.jobs import job_named
    from assets_app.notify.runner import run_due

    if only and job_named(only) is None:
        fail(f"tugas {only} tidak dikenal (lihat `flask jobs list`).")
    if force and not only:
        fail("--force hanya bersama --only NAMA.")
    _warn_base_url()
    report = run_due(only=only, force=force)
    for name, status, summary in report.ran:
        click.echo(f"{name}: {status} — {summary}")
    if not report.ran:
        click.echo("Tidak ada tugas yang jatuh tempo.")
    click.echo(f"Pengiriman: {report.delivery.summary}")
    for line in report.delivery.errors:
        click.echo(f"Gagal kirim {line}", err=True)
    for name in report.failed_jobs:
        click.echo(f"Tugas {name} gagal; lihat `flask jobs list`.", err=True)


@jobs_cli.command("list")
def list_jobs():
    """Daftar tugas, jadwal (WIB), jalan terakhir dan berikutnya."""
    from assets_app.common.formatting import waktu
    from assets_app.common.timeutil import utcnow
    from assets_app.notify.jobs import JOBS
    from assets_app.notify.queries import last_runs

    now = utcnow()
    runs = last_runs()
    for job in JOBS:
        last = runs.get(job.name)
        last_text = f"{waktu(last.started_at)} ({last.status})" if last else "belum pernah"
        click.echo(
            f"{job.name:<22} {job.schedule:<14} terakhir: {last_text}; "
            f"berikutnya: {waktu(job.next(now))} — {job.title}"
        )


@notify_cli.command("test")
@click.option("--to", "username", required=True, help="Nama pengguna penerima.")
def test(username):
    """Mengirim pesan uji ke USER lewat setiap saluran yang dikonfigurasi."""
    from assets_app.auth.models import User
    from assets_app.extensions import db
    from assets_app.notify import services
    from assets_app.notify.runner import deliver_outbox

    _warn_base_url()
    with cli_transaction("notify test"):
        user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None:
            fail(f"pengguna {username} tidak ditemukan.")
        configured = services.configured_channels()
        for channel in ("email", "whatsapp"):
            if channel not in configured:
                click.echo(f"{channel}: tidak dikonfigurasi.")
            elif not services.address_of(user, channel):
                click.echo(f"{channel}: {user.username} belum punya alamat.")
        services.send(
            [user.id],
            kind="uji",
            subject="Pesan uji Aset Dukcapil",
            body="Ini pesan uji. Bila Anda menerimanya, saluran notifikasi berfungsi.",
            link="/akun/profil",
            channels_only=["aplikasi", *configured],
            force_channels=True,
        )
    result = deliver_outbox()
    click.echo(f"Pengiriman: {result.summary}")
    for line in result.errors:
        click.echo(f"Gagal kirim {line}", err=True)
    if result.failed:
        raise SystemExit(1)

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from assets_app.common.cli import cli_transaction, fail
from assets_app.common.permissions import ROLES

users_cli = AppGroup("users", help="Pengguna dan token API.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Peran pengguna.")
@click.option("--region", "region", default=None, help="Kode wilayah cakupan.")
@click.option("--name", default=None, help="Nama lengkap.")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari stdin.")
@click.option("--email", default=None, help="Alamat e-mail untuk notifikasi.")
@click.option("--phone", default=None, help="Nomor WhatsApp (08…, 62… atau +62…).")
def create(username, role, region, name, password_stdin, email, phone):
    """Membuat pengguna baru."""
    from assets_app.auth.services import create_user
    from assets_app.notify.services import update_contact

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    with cli_transaction("users create"):
        user = create_user(username, role=role, password=password, name=name, region_code=region)
        if email or phone:
            update_contact(user, email=email, phone=phone)
    click.echo(
        f"Pengguna {user.username} ({user.role}, {user.region_code or 'seluruh instalasi'}) dibuat."
    )


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="Nama token.")
def token(username, name):
    """Mencetak token API baru untuk USERNAME (satu-satunya baris keluaran)."""
    from assets_app.auth.models import User
    from assets_app.auth.services import issue_token
    from assets_app.extensions import db

    with cli_transaction("users token"):
        user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None:
            fail(f"pengguna {username} tidak ditemukan.")
        if not user.active:
            fail(f"pengguna {username} tidak aktif.")
        value = issue_token(user, name)
    click.echo(value)

"""One transaction per CLI command; domain errors go to stderr in Indonesian with exit 1."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from assets_app.audit.context import set_cli_actor
from assets_app.common.errors import DomainError
from assets_app.extensions import db


def fail(message: str, code: int = 1):
    click.echo(f"Galat: {message}", err=True)
    sys.exit(code)


@contextmanager
def cli_transaction(actor: str):
    """Commits when the block finishes; rolls everything back on any error."""
    set_cli_actor(f"cli:{actor}")
    try:
        yield
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        lines = [
            f"{field}: {m}" if field != "_schema" else m
            for field, msgs in exc.errors.items()
            for m in msgs
        ] or [exc.message]
        for line in lines:
            click.echo(f"Galat: {line}", err=True)
        sys.exit(1)
    except BaseException:
        db.session.rollback()
        raise

"""One unit of work per request, as indico's request handler does it.

A request that ends with a response below 400 commits once, after the view; any other
response, any exception, or a view that called `discard()` rolls everything back. Services
and views therefore never commit: they flush when they need ids and raise `DomainError` when a
rule is broken. CLI commands get the same shape from `common.cli.cli_transaction`.
"""

from __future__ import annotations

from flask import Flask, g

from assets_app.extensions import db


def discard() -> None:
    """Rolls back what this request wrote so far and makes sure nothing of it is committed
    at the end (a refused form is re-rendered with status 200 but must not save half of it)."""
    db.session.rollback()
    g._uow_discarded = True


def init_app(app: Flask) -> None:
    @app.after_request
    def _end_unit_of_work(response):
        if response.status_code < 400 and not g.get("_uow_discarded"):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()

"""Pieces that the web views of several domains share."""

from __future__ import annotations

from flask import flash, g, redirect, send_file

from assets_app.common.forms import submitted

EXPIRED = "Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."


def send_private_file(path_or_file, **kwargs):
    """`send_file` for a document no cache may keep (the response gets `no-store`)."""
    g.no_store = True
    return send_file(path_or_file, **kwargs)


def page_form(form, action, message, back: str, refused, *, anchor: str = "", field_map=None):
    """A form posted from an object's page (a ticket, a letter): an expired form goes back to
    `back` with a warning; when `action()` is done, back to `back + anchor` with `message()`;
    a refusal returns `refused()`, the page again with the form's errors. `form` may be None
    (a bare button): a refusal is then flashed."""
    if form is not None and not form.validate():
        flash(EXPIRED, "danger")
        return redirect(back)
    if submitted(form, action, validate=False, field_map=field_map):
        flash(message(), "success")
        return redirect(back + anchor)
    return refused()

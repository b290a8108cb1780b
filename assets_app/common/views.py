"""Pieces that the web views of several domains share."""

from __future__ import annotations

import functools

from flask import flash, g, redirect, request, send_file, url_for

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


def form_post(bp, rule: str, page: str, *, keep: tuple[str, ...] | None = None, **options):
    """The route of a form that lives on another page (`page`: that page's endpoint), for
    `@form_post(bp, "/tiket/<int:ticket_id>/status", "tickets.detail")` in place of
    `@bp.post(...)`. POST runs the view; a refusal may re-render the page under this URL, so
    the URL also answers GET (a reload, the address opened again) with a redirect to the
    page instead of 405 Method Not Allowed. `keep`: the URL arguments the page takes (all of
    this rule's when None). tests/test_post_routes.py holds every web route to this."""

    def decorate(view):
        @functools.wraps(view)
        def dispatch(**kwargs):
            if request.method == "GET":
                args = kwargs if keep is None else {k: kwargs[k] for k in keep}
                return redirect(url_for(page, **args))
            return view(**kwargs)

        dispatch.form_page = page  # for tests/test_post_routes.py
        return bp.route(rule, methods=["GET", "POST"], **options)(dispatch)

    return decorate

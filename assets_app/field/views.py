"""`/lapor-harian` (the daily report, phone first, offline queue), `/sw.js` (the service worker
at the root scope) and the public service board `/status/<kab/kota>` (+ `.json`)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from assets_app.common import idempotency, vocab
from assets_app.common.errors import DomainError
from assets_app.common.forms import submitted
from assets_app.common.permissions import require
from assets_app.common.uow import discard
from assets_app.field import forms, queries, services
from assets_app.field.vocab import BOARD_REFRESH_SECONDS, DEVICE_STATUSES

bp = Blueprint("field", __name__)
SW = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"
DEVICE_FIELDS = ("status", "cause", "responsible_party")
DEVICE_KEY = re.compile(rf"device_([0-9]+)_(?:{'|'.join(DEVICE_FIELDS)})")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _posted_data(form) -> dict:
    """The form's values and its devices' (`device_<id>_<field>`), as the service takes them."""
    data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "idempotency_key")}
    # The id is only what sits between "device_" and a known field name: slicing a fixed
    # suffix off every key read `device_10754_cause` as device 1075.
    ids = [m[1] for k in request.form if (m := DEVICE_KEY.fullmatch(k))]
    data["devices"] = [
        {"asset_id": i, **{f: request.form.get(f"device_{i}_{f}") for f in DEVICE_FIELDS}}
        for i in dict.fromkeys(ids)
    ]
    return data


def _file(form):
    key = form.idempotency_key.data or request.headers.get("Idempotency-Key")
    data = _posted_data(form)
    return services.file_daily_report(current_user, data, idempotency_key=key,
                                      request_fingerprint=idempotency.fingerprint(data))  # fmt: skip


def _answer_json(form):
    """The fetch (and offline replay) answer: the stored result, or the errors by field."""
    try:
        report, written = _file(form)
    except DomainError as e:
        discard()
        return jsonify({"errors": e.errors}), e.status_code
    text = "Laporan harian terkirim." if written else "Laporan ini sudah diterima sebelumnya."
    return jsonify({"id": report.id, "day": report.day.isoformat(), "message": text,
                    "replayed": not written}), 201 if written else 200  # fmt: skip


@bp.route("/lapor-harian", methods=["GET", "POST"])
@require("daily.file")
def daily():
    form = forms.DailyReportForm()
    if request.method == "POST" and _wants_json():
        return _answer_json(form)
    if submitted(form, lambda: _file(form)):
        flash("Laporan harian tersimpan.", "success")
        return redirect(url_for(".daily", region=form.region_code.data, day=form.day.data))
    ctx = queries.daily_page(current_user, request.args, form, request.form)
    return render_template("field/daily.html", form=form, vocab=vocab,
                           statuses=DEVICE_STATUSES, **ctx), 422 if form.errors else 200  # fmt: skip


@bp.get("/formulir/token")
@login_required
def fresh_token():
    """A fresh CSRF token for a queued form sent after its page's token expired."""
    return jsonify({"csrf_token": generate_csrf()}), 200, {"Cache-Control": "no-store"}


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope covers every page."""
    resp = send_file(SW, mimetype="text/javascript", max_age=0)
    resp.headers["Service-Worker-Allowed"] = "/"
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/status/<code>.json")
def board_json(code: str):
    """The public board as JSON, no login."""
    return jsonify(queries.public_board(code).as_json())


@bp.get("/status/<code>")
def board(code: str):
    """The public service board of a kab/kota, no login, no personal data."""
    board = queries.public_board(code)
    return render_template("field/board.html", board=board, refresh=BOARD_REFRESH_SECONDS)


@bp.route("/status/<code>/pengaturan", methods=["GET", "POST"])
@require("board.manage")
def board_settings(code: str):
    form = forms.BoardForm(obj=queries.board_setting(code))
    region = queries.board_region_or_404(current_user, code)
    if request.method == "GET" and queries.board_setting(code) is None:
        form.enabled.data = True
    if submitted(form, lambda: services.set_board(current_user, code, **_board(form))):
        flash("Pengaturan papan layanan tersimpan.", "success")
        return redirect(url_for(".board_settings", code=code))
    return render_template("field/board_settings.html", form=form, region=region)


def _board(form) -> dict:
    return {"enabled": form.enabled.data, "notice": form.notice.data}


@bp.get("/status")
@require("board.manage")
def board_index():
    """The kab/kota boards in scope: the public page and its setting."""
    return render_template("field/board_index.html", boards=queries.boards_in_scope(current_user))

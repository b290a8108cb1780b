"""Error pages in Indonesian for the web; `{"errors": …}` JSON for the API."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from assets_app.api.base import flatten_validation_messages
from assets_app.common.errors import DomainError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Permintaan tidak valid",
        "Data yang dikirim tidak dapat diproses. Periksa kembali isian Anda.",
    ),
    401: ("Perlu masuk", "Silakan masuk terlebih dahulu."),
    403: ("Akses ditolak", "Peran Anda tidak diizinkan melakukan tindakan ini."),
    404: (
        "Tidak ditemukan",
        "Halaman atau data yang Anda cari tidak ada atau di luar cakupan wilayah Anda.",
    ),
    405: ("Metode tidak diizinkan", "Alamat ini tidak menerima cara akses tersebut."),
    413: ("Berkas terlalu besar", "Ukuran berkas melebihi batas unggah."),
    422: ("Data tidak valid", "Periksa kembali isian Anda."),
    429: (
        "Terlalu banyak percobaan",
        "Terlalu banyak percobaan dalam waktu singkat. Tunggu satu menit lalu coba lagi.",
    ),
    500: (
        "Terjadi kesalahan",
        "Terjadi kesalahan pada server. Kejadian ini sudah dicatat; silakan coba lagi.",
    ),
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _json(status: int, errors: dict):
    resp = jsonify({"errors": errors})
    resp.status_code = status
    return resp


def handle_http(error: HTTPException):
    status = error.code or 500
    title, text = MESSAGES.get(status, (error.name, error.description))
    if isinstance(error, CSRFError):
        title, text = (
            "Sesi formulir kedaluwarsa",
            (
                "Token keamanan formulir tidak ada atau kedaluwarsa. Muat ulang halaman lalu kirim lagi."
            ),
        )
    if is_api_request():
        data = getattr(error, "data", None) or {}
        if "errors" in data:
            errors = data["errors"]
        elif "messages" in data:
            errors = flatten_validation_messages(data["messages"])
        else:
            errors = {"_schema": [data.get("message") or text]}
        resp = _json(status, errors)
        for key, value in (data.get("headers") or {}).items():
            resp.headers[key] = value
        if status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return resp
    return render_template("errors/error.html", status=status, title=title, text=text), status


def handle_domain(error: DomainError):
    """A service's refusal; one without a message (e.g. `NotFound()`) gets the status's."""
    status = error.status_code
    title, text = MESSAGES.get(status, MESSAGES[400])
    if is_api_request():
        return _json(status, error.errors or {"_schema": [text]})
    return render_template(
        "errors/error.html", status=status, title=title, text=error.message or text
    ), status


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s", request.path)
    return handle_http(InternalServerError())


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(Exception, handle_unexpected)

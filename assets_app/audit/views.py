from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from assets_app.audit import queries, wording
from assets_app.common.pagination import page_args
from assets_app.common.permissions import require
from assets_app.common.validate import Invalid, parse_date

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _filters(args) -> tuple[dict, dict, list[str]]:
    """The filters as typed (for the form) and as values; a wrong day is ignored and named."""
    f = {k: args.get(k, "").strip() for k in ("entity", "actor", "from", "to")}
    days, errors = {}, []
    for key, word in (("from", "dari"), ("to", "sampai")):
        try:
            days[key] = parse_date(f[key])
        except Invalid:
            days[key] = None
            errors.append(f"Tanggal '{word}' tidak valid.")
    return f, days, errors


@bp.get("/")
@require("audit.view")
def index():
    page, per_page = page_args(50)
    f, days, errors = _filters(request.args)
    entries = queries.list_entries(
        current_user,
        entity=f["entity"] or None,
        actor=f["actor"] or None,
        start=days["from"],
        end=days["to"],
        page=page,
        per_page=per_page,
    )
    entities = [(e, wording.entity_label(e)) for e in queries.list_entities()]
    return render_template(
        "audit/index.html", page=entries, f=f, entities=entities, errors=errors, wording=wording
    )

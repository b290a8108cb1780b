from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from assets_app.common.permissions import require
from assets_app.regions import services
from assets_app.regions.panels import panels_for

bp = Blueprint("regions", __name__, url_prefix="/wilayah")


@bp.get("/")
@require("regions.view")
def index():
    roots = services.scope_roots(current_user)
    counts = services.children_counts([r.code for r in roots])
    return render_template("regions/index.html", roots=roots, counts=counts)


@bp.get("/<code>")
@require("regions.view")
def detail(code: str):
    region = services.get_region(code, current_user)
    kids = services.children(region.code)
    counts = services.children_counts([k.code for k in kids])
    return render_template(
        "regions/detail.html",
        region=region,
        children=kids,
        counts=counts,
        crumbs=services.breadcrumbs(region, current_user),
        panels=panels_for(region, current_user),
    )

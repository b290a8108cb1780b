from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from assets_app.common.permissions import require
from assets_app.regions import services
from assets_app.regions.panels import PANELS

bp = Blueprint("regions", __name__, url_prefix="/wilayah")


@bp.get("/")
@login_required
@require("regions.view")
def index():
    roots = services.scope_roots(current_user)
    counts = services.children_counts([r.code for r in roots])
    return render_template("regions/index.html", roots=roots, counts=counts)


@bp.get("/<code>")
@login_required
@require("regions.view")
def detail(code: str):
    region = services.get_region_or_404(code, current_user)
    kids = services.children(region.code)
    counts = services.children_counts([k.code for k in kids])
    panels = []
    for panel in PANELS:
        if region.level not in panel.levels:
            continue
        ctx = panel.context(region, current_user)
        if ctx is not None:
            panels.append((panel, ctx))
    return render_template(
        "regions/detail.html",
        region=region,
        children=kids,
        counts=counts,
        crumbs=services.breadcrumbs(region, current_user),
        panels=panels,
    )

"""The job page (progress bar, download link), its JSON poll, the download, and the list of
the user's recent exports. Thin: the rules are in `exports.services`."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, send_file, url_for
from flask_login import current_user, login_required

from assets_app.exports import services

bp = Blueprint("exports", __name__, url_prefix="/ekspor")
POLL_SECONDS = 1.5  # the page's JS; the no-JS fallback refreshes every 3 s


@bp.get("/")
@login_required
def index():
    g.no_store = True
    return render_template("exports/index.html", jobs=services.jobs_of(current_user))


@bp.get("/<int:job_id>")
@login_required
def job(job_id: int):
    g.no_store = True
    job = services.get_job_or_404(current_user, job_id)
    kind = services.kind_of(job.kind)
    return render_template(
        "exports/job.html",
        job=job,
        kind=kind,
        again_url=kind.again_url(job.params),
        progress_label=services.progress_label(job),
        poll_ms=int(POLL_SECONDS * 1000),
    )


@bp.get("/<int:job_id>/status.json")
@login_required
def status(job_id: int):
    g.no_store = True
    job = services.get_job_or_404(current_user, job_id)
    return jsonify(services.as_json(job, url_for("exports.download", job_id=job.id)))


@bp.get("/<int:job_id>/unduh")
@login_required
def download(job_id: int):
    job, path = services.download_path(current_user, job_id)
    mimetype = services.kind_of(job.kind).mimetype(job.params)
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=job.download_name)

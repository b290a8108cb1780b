"""Export jobs: which exports run in the background, creating them, running them with
progress, who may see them, and what happens to jobs a dead process left behind.

An export whose row count is above `EXPORT_JOB_THRESHOLD` becomes a job; below it the view
answers directly as before. The job runs in a worker thread of the process that accepted the
request (`exports.worker`), started once the request has committed the job row. Progress and
heartbeat are written on their own short transactions, so a poll from any thread or process
sees them while the rows are still streaming out of the database.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from assets_app.common.errors import DomainError, NotFound, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.permissions import can
from assets_app.common.timeutil import utcnow
from assets_app.exports.models import ACTIVE, DONE, EXPIRED, FAILED, QUEUED, RUNNING, ExportJob
from assets_app.extensions import db
from assets_app.regions.scope import in_scope, user_scope

log = logging.getLogger(__name__)

STALE_MESSAGE = (
    "Ekspor terhenti karena proses server berhenti atau dimulai ulang sebelum berkas selesai. "
    "Silakan ekspor ulang."
)
UNEXPECTED_MESSAGE = (
    "Ekspor gagal karena galat tak terduga di server (sudah dicatat di log). "
    "Coba ekspor ulang; bila terulang, hubungi admin."
)
EXPORT_DIR = "exports"
PROGRESS_EVERY_ROWS = 500
PROGRESS_EVERY_SECONDS = 1.0


class Cancelled(Exception):
    """The job was marked failed or removed while it ran (e.g. declared stale)."""


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: str
    permission: str  # who may start it, and who (in scope) may download it
    count: Callable[[object, dict], int]
    write: Callable[[object, dict, object, Callable[[Iterable], Iterator]], None]
    filename: Callable[[dict], str]
    mimetype: Callable[[dict], str]
    again_url: Callable[[dict], str]  # the export's own URL, to run it again
    describe: Callable[[dict], str]


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> None:
    KINDS[kind.name] = kind


def _register_kind() -> None:
    """The asset register in every layout of `/aset/ekspor` (assets.formats)."""
    from flask import url_for

    from assets_app.assets import formats, queries

    def f_of(params):
        return queries.AssetFilter.from_args(params.get("filter") or {})

    def fmt_of(params):
        fmt = params.get("format") or "lengkap"
        if fmt not in formats.FORMATS:
            raise ValidationFailed(f"Format ekspor tidak dikenal: {fmt}.")
        return fmt

    register(
        ExportKind(
            name="register",
            title="Register aset KIB B",
            permission="assets.view",
            count=lambda user, p: formats.count_register(user, f_of(p)),
            write=lambda user, p, out, wrap: formats.write_register(
                user, f_of(p), fmt_of(p), out, wrap=wrap
            ),
            filename=lambda p: formats.export_filename(f_of(p), fmt_of(p)),
            mimetype=lambda p: formats.MIMETYPES[formats.EXTENSION[fmt_of(p)]],
            again_url=lambda p: url_for(
                "assets.export",
                **({"format": p["format"]} if p.get("format") else {}),
                **(p.get("filter") or {}),
            ),
            describe=lambda p: formats.FORMATS.get(p.get("format") or "lengkap", "?"),
        )
    )


def kind_of(name: str) -> ExportKind:
    if not KINDS:
        _register_kind()
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationFailed(f"Jenis ekspor tidak dikenal: {name}.") from None


def threshold() -> int:
    return int(current_app.config.get("EXPORT_JOB_THRESHOLD", 5000))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def export_dir() -> Path:
    path = Path(current_app.instance_path) / EXPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_of(job: ExportJob) -> Path | None:
    return Path(current_app.instance_path) / job.file_path if job.file_path else None


# --- creating ------------------------------------------------------------------------------


def plain_params(params: dict) -> dict:
    """JSON-safe copy (dates as ISO strings): the params come back through `from_args`."""
    return {
        k: ({kk: str(vv) for kk, vv in v.items()} if isinstance(v, dict) else v)
        for k, v in params.items()
    }


def start_if_big(user, kind_name: str, params: dict) -> ExportJob | None:
    """The job for this export when it holds more rows than the threshold (an identical one
    of this user still queued or running is reused); None when it is small enough to answer
    directly. The worker starts when the request commits (`exports.worker.start_after_commit`)."""
    kind = kind_of(kind_name)
    params = plain_params(params)
    total = kind.count(user, params)
    if total <= threshold():
        return None
    reap_stale()
    cleanup_expired()
    active = list(
        db.session.scalars(
            sa.select(ExportJob).where(
                ExportJob.user_id == getattr(user, "id", None),
                ExportJob.status.in_(ACTIVE),
            )
        )
    )
    for job in active:
        if job.kind == kind_name and job.params == params:
            return job
    limit = int(current_app.config.get("EXPORT_MAX_ACTIVE_PER_USER", 3))
    if len(active) >= limit:
        raise ValidationFailed(
            f"Masih ada {number(len(active))} ekspor Anda yang berjalan; tunggu hingga selesai "
            "sebelum meminta ekspor besar lagi."
        )
    filter_region = (params.get("filter") or {}).get("region")
    job = ExportJob(
        kind=kind_name,
        params=params,
        user_id=getattr(user, "id", None),
        region_code=filter_region or user_scope(user),
        status=QUEUED,
        rows_total=total,
        download_name=kind.filename(params),
        worker=worker_id(),
        heartbeat_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    from assets_app.exports import worker

    worker.start_after_commit(current_app._get_current_object(), job.id)
    return job


# --- reading -------------------------------------------------------------------------------


def may_see(user, job: ExportJob) -> bool:
    """The user who asked, or anyone allowed this kind of export whose scope covers every
    row the file holds (its region root); nobody else learns the job exists."""
    if job.user_id is not None and job.user_id == getattr(user, "id", None):
        return True
    kind = KINDS.get(job.kind) or kind_of(job.kind)
    return can(user, kind.permission) and in_scope(user, job.region_code)


def get_job_or_404(user, job_id: int) -> ExportJob:
    reap_stale()
    job = db.session.get(ExportJob, job_id)
    if job is None or not may_see(user, job):
        raise NotFound()
    return job


def jobs_of(user, limit: int = 20) -> list[ExportJob]:
    reap_stale()
    stmt = (
        sa.select(ExportJob)
        .where(ExportJob.user_id == getattr(user, "id", None))
        .order_by(ExportJob.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def as_json(job: ExportJob, download_url: str | None) -> dict:
    return {
        "id": job.id,
        "status": job.status,
        "status_label": job.status_label,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "progress_label": progress_label(job),
        "error": job.error,
        "download_url": download_url if job.status == DONE else None,
        "download_name": job.download_name,
    }


def progress_label(job: ExportJob) -> str:
    if job.status == RUNNING and job.rows_total and job.rows_done >= job.rows_total:
        return f"{number(job.rows_total)} baris tertulis; menyusun berkas…"
    return f"{number(job.rows_done)} dari {number(job.rows_total)} baris"


def download_path(user, job_id: int) -> tuple[ExportJob, Path]:
    job = get_job_or_404(user, job_id)
    path = file_of(job)
    if job.status != DONE or path is None or not path.is_file():
        raise NotFound()
    if job.expires_at is not None and job.expires_at <= utcnow():
        raise NotFound()
    return job, path


# --- running -------------------------------------------------------------------------------


def _update(job_id: int, where: sa.ColumnElement[bool], **values) -> bool:
    """One short transaction of its own: visible at once to every poll, whatever the
    worker's reading session holds open."""
    with db.engine.begin() as conn:
        res = conn.execute(
            sa.update(ExportJob).where(ExportJob.id == job_id, where).values(**values)
        )
    return res.rowcount == 1


def heartbeat_queued(job_id: int) -> bool:
    """The job still waits for a free worker slot (and still exists)."""
    return _update(job_id, ExportJob.status == QUEUED, heartbeat_at=utcnow())


def _job_user(job: ExportJob):
    """Reads with the scope the job was asked with: the requester's role, and the region
    root recorded at request time (the filter region lies inside it)."""
    from assets_app.auth.models import User

    user = db.session.get(User, job.user_id) if job.user_id else None
    return SimpleNamespace(
        id=job.user_id,
        role=getattr(user, "role", "admin"),
        region_code=getattr(user, "region_code", None) if user else job.region_code,
        is_authenticated=True,
    )


def run_job(job_id: int) -> str:
    """Runs a queued job to the end in this thread; returns its final status."""
    me = worker_id()
    now = utcnow()
    if not _update(
        job_id,
        ExportJob.status == QUEUED,
        status=RUNNING,
        worker=me,
        started_at=now,
        heartbeat_at=now,
    ):
        return "skipped"
    job = db.session.get(ExportJob, job_id)
    kind = kind_of(job.kind)
    user, params = _job_user(job), dict(job.params)
    ext = Path(job.download_name).suffix or ".bin"
    relative = f"{EXPORT_DIR}/{job.id}-{secrets.token_hex(8)}{ext}"
    final = Path(current_app.instance_path) / relative
    export_dir()
    tmp = final.with_name(final.name + ".tmp")
    running = (ExportJob.status == RUNNING) & (ExportJob.worker == me)
    clock = {"rows": 0, "at": 0.0}

    def progress(rows: Iterable) -> Iterator:
        import time

        done = 0
        for done, row in enumerate(rows, start=1):  # noqa: B007
            yield row
            t = time.monotonic()
            if done - clock["rows"] >= PROGRESS_EVERY_ROWS and t - clock["at"] >= (
                PROGRESS_EVERY_SECONDS
            ):
                clock.update(rows=done, at=t)
                if not _update(job_id, running, rows_done=done, heartbeat_at=utcnow()):
                    raise Cancelled()
        if not _update(job_id, running, rows_done=done, heartbeat_at=utcnow()):
            raise Cancelled()

    try:
        with tmp.open("wb") as out:
            kind.write(user, params, out, progress)
        tmp.replace(final)
    except Cancelled:
        tmp.unlink(missing_ok=True)
        db.session.rollback()
        return "cancelled"
    except Exception as exc:  # every failure ends as a message on the job page
        tmp.unlink(missing_ok=True)
        db.session.rollback()
        if isinstance(exc, DomainError):
            message = exc.message
        else:
            log.exception("ekspor %s gagal", job_id)
            message = UNEXPECTED_MESSAGE
        _update(job_id, running, status=FAILED, error=message, finished_at=utcnow())
        return FAILED
    db.session.rollback()  # ends the reading transaction
    hours = float(current_app.config.get("EXPORT_KEEP_HOURS", 24))
    now = utcnow()
    if not _update(
        job_id,
        running,
        status=DONE,
        file_path=relative,
        size_bytes=final.stat().st_size,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(hours=hours),
    ):
        final.unlink(missing_ok=True)
        return "cancelled"
    return DONE


def fail_job(job_id: int, message: str) -> None:
    _update(
        job_id, ExportJob.status.in_(ACTIVE), status=FAILED, error=message, finished_at=utcnow()
    )


# --- jobs a dead process left, and expiry --------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead(worker: str | None) -> bool:
    """Only a worker of this host can be checked directly; others wait for the heartbeat."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return not _pid_alive(int(pid))


def reap_stale() -> int:
    """Marks failed every queued/running job whose process is gone (same host, pid dead) or
    whose heartbeat is older than EXPORT_STALE_SECONDS (another host, or a hung thread).
    Called on every poll, page and new job, so a restart shows at the next look."""
    stale = utcnow() - timedelta(seconds=int(current_app.config.get("EXPORT_STALE_SECONDS", 120)))
    rows = db.session.execute(
        sa.select(ExportJob.id, ExportJob.worker, ExportJob.heartbeat_at).where(
            ExportJob.status.in_(ACTIVE)
        )
    ).all()
    dead = [
        job_id for job_id, worker, beat in rows if _dead(worker) or beat is None or beat < stale
    ]
    for job_id in dead:
        fail_job(job_id, STALE_MESSAGE)
    if dead:
        db.session.expire_all()
    return len(dead)


def cleanup_expired(keep_rows_days: int = 30) -> tuple[int, int]:
    """Deletes the files of expired jobs (the job stays, shown as expired), leftover `.tmp`
    files of dead runs, and job rows older than `keep_rows_days`. Returns (files, rows)."""
    now = utcnow()
    files = 0
    expired = list(
        db.session.scalars(
            sa.select(ExportJob).where(ExportJob.status == DONE, ExportJob.expires_at <= now)
        )
    )
    for job in expired:
        path = file_of(job)
        if path is not None and path.exists():
            path.unlink()
            files += 1
        job.status, job.file_path = EXPIRED, None
    active = {
        job_id
        for (job_id,) in db.session.execute(
            sa.select(ExportJob.id).where(ExportJob.status.in_(ACTIVE))
        )
    }
    folder = Path(current_app.instance_path) / EXPORT_DIR
    if folder.is_dir():
        for leftover in folder.glob("*.tmp"):
            head = leftover.name.split("-", 1)[0]
            if not (head.isdigit() and int(head) in active):
                leftover.unlink(missing_ok=True)
                files += 1
    old = now - timedelta(days=keep_rows_days)
    gone = db.session.execute(
        sa.delete(ExportJob).where(
            ExportJob.status.in_((FAILED, EXPIRED)), ExportJob.created_at < old
        )
    ).rowcount
    db.session.flush()
    return files, gone or 0

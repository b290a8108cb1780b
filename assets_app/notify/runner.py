"""`flask jobs run`: every due job once, then the delivery of the outbox.

Safe to call every 5 minutes from cron or the Windows Task Scheduler, and safe when two calls
overlap: a job is claimed by inserting its `berjalan` run row (a second process sees it and
skips; should both start in the same instant, the unique dedupe keys of the notices make one
of them fail and roll back, so nothing is written twice), and each outbox row is claimed by a
conditional update before it is sent.
This module commits: each job in its own transaction (a failing job is rolled back and
recorded as `gagal` without stopping the others), each delivered message on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from assets_app.audit.context import set_cli_actor
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.notify import services
from assets_app.notify.jobs import JOBS, Job
from assets_app.notify.models import JobRun


@dataclass
class RunReport:
    ran: list[tuple[str, str, str]] = field(default_factory=list)  # (job, status, summary)
    skipped: list[str] = field(default_factory=list)
    delivery: services.DeliveryResult = field(default_factory=services.DeliveryResult)

    @property
    def failed_jobs(self) -> list[str]:
        return [name for name, status, _ in self.ran if status == "gagal"]


def last_success(job: Job) -> JobRun | None:
    return db.session.scalar(
        sa.select(JobRun)
        .where(JobRun.job == job.name, JobRun.status == "berhasil", JobRun.due_at.is_not(None))
        .order_by(JobRun.due_at.desc(), JobRun.id.desc())
        .limit(1)
    )


def due_time(job: Job, now: datetime) -> datetime | None:
    """The schedule's latest time not yet run successfully, or None when nothing is due."""
    prev = job.previous(now)
    if now - prev > job.max_late:
        return None
    last = last_success(job)
    if last is not None and last.due_at >= prev:
        return None
    return prev


# A run still marked `berjalan` this recently belongs to another process; older ones died.
RUNNING_LEASE = timedelta(minutes=30)


def _claimed(job: Job, due: datetime | None, now: datetime, forced: bool) -> JobRun | None:
    running = db.session.scalar(
        sa.select(JobRun.id).where(
            JobRun.job == job.name,
            JobRun.status == "berjalan",
            JobRun.started_at > now - RUNNING_LEASE,
        )
    )
    if running:
        return None
    if due is not None and not forced:
        taken = db.session.scalar(
            sa.select(JobRun.id).where(
                JobRun.job == job.name, JobRun.due_at == due, JobRun.status == "berhasil"
            )
        )
        if taken:
            return None
    run = JobRun(job=job.name, due_at=due, started_at=now, status="berjalan", forced=forced)
    db.session.add(run)
    db.session.commit()
    return run


def run_job(job: Job, now: datetime, *, due: datetime | None, forced: bool) -> tuple[str, str]:
    run = _claimed(job, due, now, forced)
    if run is None:
        return "lewat", "sudah dijalankan proses lain"
    run_id = run.id
    try:
        with current_app.test_request_context("/"):
            summary = job.run(now)
        run.status, run.summary = "berhasil", summary
        run.finished_at = utcnow()
        db.session.commit()
        return "berhasil", summary
    except Exception as exc:  # a job's bug or a database error must not stop the others
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.status = "gagal"
        run.summary = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = utcnow()
        db.session.commit()
        current_app.logger.exception("job %s gagal", job.name)
        return "gagal", run.summary


def deliver_outbox(now: datetime | None = None) -> services.DeliveryResult:
    now = now or utcnow()
    result = services.DeliveryResult()
    for message_id in services.due_ids(now):
        row = services.claim(message_id, now)
        db.session.commit()  # the attempt is counted even if this process dies mid-send
        if row is None:
            continue
        outcome = services.deliver_one(row, now)
        if outcome == "terkirim":
            result.sent += 1
        else:
            result.failed += 1
            result.gave_up += outcome == "gagal"
            result.errors.append(f"#{row.id} {row.channel} → {row.user.username}: {row.last_error}")
        db.session.commit()
    return result


def run_due(
    now: datetime | None = None, *, only: str | None = None, force: bool = False
) -> RunReport:
    now = now or utcnow()
    set_cli_actor("cli:jobs run")
    report = RunReport()
    for job in JOBS:
        if only and job.name != only:
            continue
        due = due_time(job, now)
        if due is None and not force:
            report.skipped.append(job.name)
            continue
        status, summary = run_job(job, now, due=due, forced=force and due is None)
        report.ran.append((job.name, status, summary))
    report.delivery = deliver_outbox(now)
    return report

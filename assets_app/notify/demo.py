"""`flask demo load` step: the jobs that look at the demo data write their in-app notices once
(idempotent: the same dedupe keys and episodes as `flask jobs run`)."""

from __future__ import annotations

from flask import current_app

from assets_app.common.timeutil import utcnow
from assets_app.notify import jobs

DEMO_JOBS = ("blanko_menipis", "sertifikat", "surat_ttd", "blanko_ditjen", "gangguan")


def load_demo() -> str:
    now = utcnow()
    done = []
    with current_app.test_request_context("/"):
        for name in DEMO_JOBS:
            job = jobs.job_named(name)
            done.append(f"{job.name}: {job.run(now)}")
    return " ".join(done)

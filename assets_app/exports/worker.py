"""Worker threads of the web process that write export jobs.

Why threads in the process that took the request, and not the `flask jobs run` cron runner:
that runner wakes every few minutes, and someone waiting at the progress bar needs the job to
start at once; `make run` serves with one waitress process, whose threads share this pool.
With several processes (or hosts) each job is run by the process that accepted it, while any
process answers the polls and downloads (state in the database, files in the shared instance
folder). A process that dies leaves its job "running": `services.reap_stale` marks it failed
at the next look (at once on the same host, by its pid; elsewhere when the heartbeat stops).

At most EXPORT_WORKERS jobs write at once (default 1: the machine's cores serve the pages);
the others wait queued, heartbeating so they are not taken for dead.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from assets_app.extensions import db

_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_threads: dict[int, threading.Thread] = {}
QUEUED_HEARTBEAT_SECONDS = 5.0


def _semaphore(app) -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, int(app.config.get("EXPORT_WORKERS", 1))))
        return _slots


def start_after_commit(app, job_id: int) -> None:
    """Starts the worker once the current session commits the job row (the thread reads it
    from its own connection); a rolled-back request starts nothing."""

    def _start(session):
        start(app, job_id)

    sa.event.listen(db.session(), "after_commit", _start, once=True)


def start(app, job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_run, args=(app, job_id), name=f"ekspor-{job_id}", daemon=True)
    with _lock:
        _threads[job_id] = thread
    thread.start()
    return thread


def wait(job_id: int, timeout: float | None = None) -> bool:
    """Joins the job's thread (tests, CLI); True when it has finished."""
    with _lock:
        thread = _threads.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def _run(app, job_id: int) -> None:
    from assets_app.exports import services

    slots = _semaphore(app)
    with app.app_context():
        try:
            while not slots.acquire(timeout=QUEUED_HEARTBEAT_SECONDS):
                if not services.heartbeat_queued(job_id):
                    return  # failed or removed while it waited
            try:
                services.run_job(job_id)
            finally:
                slots.release()
        except Exception:  # the thread must never die silently with the job "running"
            services.log.exception("pekerja ekspor %s berhenti", job_id)
            services.fail_job(job_id, services.UNEXPECTED_MESSAGE)
        finally:
            db.session.remove()
            with _lock:
                _threads.pop(job_id, None)

"""The register export as a background job, end to end (database → worker → file):
`python bench/export_jobs.py [--sizes 10000 40000] [--format lengkap]`.

For each size: a fresh SQLite database with that many assets (`bench/assets.py::generate`),
then, in a child process that does nothing else, one export job created and run to the end
(`exports.services.run_job`, as the worker thread runs it). Prints CPU, wall, µs per row and
the child's peak RSS (`resource.getrusage`): a flat peak across sizes means the rows stream.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from _common import build_schema, make_app


def child(url: str, fmt: str) -> dict:
    from assets_app.common.timeutil import utcnow
    from assets_app.exports import services
    from assets_app.exports.models import QUEUED, ExportJob
    from assets_app.extensions import db

    app = make_app(url)
    with app.app_context():
        total = services.kind_of("register").count(
            services._job_user(ExportJob(user_id=None, region_code=None)), {"filter": {}}
        )
        job = ExportJob(
            kind="register", params={"format": fmt, "filter": {}}, user_id=None,
            region_code=None, status=QUEUED, rows_total=total, download_name=f"x.{'csv' if fmt == 'simda' else 'xlsx'}",
            heartbeat_at=utcnow(),
        )  # fmt: skip
        db.session.add(job)
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0, c0 = time.perf_counter(), time.process_time()
        status = services.run_job(job.id)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        job = db.session.get(ExportJob, job.id)
        return {
            "status": status,
            "rows": job.rows_done,
            "wall": wall,
            "cpu": cpu,
            "rss_before": before,
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "bytes": job.size_bytes or 0,
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000])
    ap.add_argument("--format", default="lengkap", choices=["lengkap", "kib", "ebmd", "simda"])
    ap.add_argument("--child", default=None)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.format)))
        return
    print(
        "| assets | format | CPU s | wall s | µs CPU/row | RSS before MiB | peak RSS MiB | file MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["INSTANCE_PATH"] = tmp
            url = f"sqlite:///{tmp}/bench.sqlite"
            app = make_app(url)
            build_schema(app)
            with app.app_context():
                from assets import generate

                from assets_app.extensions import db
                from assets_app.regions.services import load_regions

                load_regions(list(app.config["DEMO_REGIONS"]))
                db.session.commit()
                generate(db, n)
                db.session.commit()
                db.engine.dispose()
            proc = subprocess.run(
                [sys.executable, __file__, "--child", url, "--format", args.format],
                capture_output=True, text=True, check=True, env=os.environ,
            )  # fmt: skip
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            assert r["status"] == "done" and r["rows"] == n, r
            print(
                f"| {n:,} | {args.format} | {r['cpu']:.1f} | {r['wall']:.1f} "
                f"| {r['cpu'] / n * 1e6:.0f} | {r['rss_before']:.0f} | {r['peak']:.0f} "
                f"| {r['bytes'] / 2**20:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

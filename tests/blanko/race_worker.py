"""One app process firing blanko movements for the concurrency test (and the benchmark).

python -m tests.blanko.race_worker DATABASE_URL USERNAME START_AT OUT.json SPEC
SPEC: comma-separated kind:from:to:quantity, repeated in turn N times: "N;spec1,spec2".
Each movement is its own transaction, as a web request would be.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import time


def _wait_for_peers(out: str, start_at: float) -> None:
    """Start at `start_at`, and not before the RACE_PEERS workers (default 1) are all set up:
    on a loaded machine one app may take longer to start than the head start allows, and the
    other would then run its whole plan alone."""
    folder = os.path.dirname(out) or "."
    peers = int(os.environ.get("RACE_PEERS", "1"))
    with open(out + ".ready", "w"):
        pass
    give_up = time.time() + 120
    while time.time() < give_up:
        ready = len(glob.glob(os.path.join(folder, "*.ready")))
        if ready >= peers and time.time() >= start_at:
            return
        time.sleep(0.005)


def main(url: str, username: str, start_at: float, out: str, spec: str) -> None:
    import sqlalchemy as sa

    from assets_app import create_app
    from assets_app.auth.models import User
    from assets_app.blanko import services
    from assets_app.common.errors import DomainError
    from assets_app.extensions import db

    rounds, _, items = spec.partition(";")
    plan = []
    for item in items.split(","):
        kind, frm, to, qty = item.split(":")
        plan.append((kind, frm or None, to or None, int(qty)))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    results = {"ok": [], "refused": [], "errors": []}
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.rollback()
        _wait_for_peers(out, start_at)
        t0 = time.perf_counter()
        for _ in range(int(rounds)):
            for kind, frm, to, qty in plan:
                try:
                    services.record_movement(
                        user, kind=kind, from_region=frm, to_region=to, quantity=qty
                    )
                    db.session.commit()
                    results["ok"].append([kind, qty])
                except DomainError as exc:
                    db.session.rollback()
                    results["refused"].append([kind, qty, exc.errors])
                except Exception as exc:  # anything else is a failure of the test
                    db.session.rollback()
                    results["errors"].append([kind, qty, repr(exc)])
        results["seconds"] = time.perf_counter() - t0
        db.session.remove()
        db.engine.dispose()
    with open(out, "w") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5])

"""One app process firing blanko movements for the concurrency test (and the benchmark).

python -m tests.blanko.race_worker DATABASE_URL USERNAME START_AT OUT.json SPEC
SPEC: comma-separated kind:from:to:quantity, repeated in turn N times: "N;spec1,spec2".
Each movement is its own transaction, as a web request would be.
"""

from __future__ import annotations

import json
import sys
import time


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
        while time.time() < start_at:
            time.sleep(0.005)
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

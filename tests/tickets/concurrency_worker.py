"""One of the processes of test_concurrency: files tickets and signs letters in a loop against
the same database as the other process, starting at the same instant.

    python -m tests.tickets.concurrency_worker DATABASE_URL BARRIER_DIR ROUNDS SEED

It writes BARRIER_DIR/ready-SEED once set up and starts when BARRIER_DIR/go appears.

Prints one JSON line: the numbers it committed and how many it rolled back.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path


def main() -> None:
    url, barrier, rounds, seed = (
        sys.argv[1],
        Path(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]),
    )
    from assets_app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rnd = random.Random(seed)
    out = {"tickets": [], "letters": [], "rolled_back": 0, "started": None}
    with app.app_context():
        import sqlalchemy as sa

        from assets_app.auth.models import User
        from assets_app.extensions import db
        from assets_app.letters import services as letters
        from assets_app.tickets import services

        petugas = db.session.scalar(sa.select(User).where(User.username == "petugas"))
        kadis = db.session.scalar(sa.select(User).where(User.username == "kadis"))
        db.session.commit()
        (barrier / f"ready-{seed}").touch()
        deadline = time.time() + 120
        while not (barrier / "go").exists():
            if time.time() > deadline:
                raise SystemExit("no start signal")
            time.sleep(0.002)
        out["started"] = time.time()
        for i in range(rounds):
            ticket, _ = services.file_ticket(
                by=petugas,
                region_code="35.11.05",
                category="jaringan",
                urgency="sedang",
                impact="sedang",
                title=f"proses {seed} tiket {i}",
                description="uji konkuren",
            )
            letter = letters.compose_letter(
                by=petugas,
                region_code="35.11.05",
                direction="keluar",
                recipient="Pimpinan PT Uji",
                perihal=f"proses {seed} surat {i}",
                body="Uji.",
            )
            letters.sign_letter(letter, kadis)
            time.sleep(rnd.uniform(0, 0.02))  # hold the counters' locks a little
            if i % 7 == 3:
                db.session.rollback()  # numbers taken, then given back
                out["rolled_back"] += 1
                time.sleep(rnd.uniform(0.005, 0.05))
                continue
            number, seq = ticket.number, letter.seq_no
            db.session.commit()
            out["tickets"].append(number)
            out["letters"].append(seq)
            time.sleep(rnd.uniform(0.005, 0.05))  # think time between two requests
    print(json.dumps(out))


if __name__ == "__main__":
    main()

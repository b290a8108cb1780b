"""The demo step writes the jobs' in-app notices once; loading again adds nothing."""

from datetime import timedelta

import sqlalchemy as sa

from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.notify.models import OutboxMessage


def test_demo_step_is_idempotent(app, users):
    from assets_app.notify import demo
    from tests.blanko.conftest import KEC2, Ledger

    ledger = Ledger(users)
    ledger.stock(KEC2, 100)
    for day in range(1, 11):
        ledger.use(9, KEC2, by="camat2", occurred_at=utcnow() - timedelta(days=day))
    db.session.commit()
    summary = demo.load_demo()
    assert "blanko_menipis:" in summary and "gangguan:" in summary
    count = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    low = db.session.scalars(
        sa.select(OutboxMessage.subject).where(OutboxMessage.user_id == users["camat2"].id)
    ).all()
    assert any(s.startswith("Stok blanko KTP-el") for s in low)
    demo.load_demo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == count

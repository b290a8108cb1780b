from datetime import datetime

import sqlalchemy as sa
import time_machine

from assets_app.extensions import db
from assets_app.notify import services
from assets_app.notify.models import OutboxMessage
from assets_app.tickets.sla import WIB

MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)  # a Monday


def give_contact(user, email=None, phone=None):
    services.update_contact(user, email=email, phone=phone)
    db.session.commit()


def jobs_run(runner, at, *args):
    with time_machine.travel(at, tick=False):
        result = runner.invoke(args=["jobs", "run", *args])
    db.session.expire_all()
    return result


def rows(**where):
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for k, v in where.items():
        stmt = stmt.where(getattr(OutboxMessage, k) == v)
    return db.session.scalars(stmt).all()

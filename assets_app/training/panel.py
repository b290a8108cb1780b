"""The "Operator & pelatihan" panel of a kecamatan page: its operators and its gaps."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common import vocab
from assets_app.common.permissions import can
from assets_app.extensions import db
from assets_app.training import gaps
from assets_app.training.models import Operator

PANEL_LIMIT = 30


def panel_context(region, user) -> dict | None:
    if not can(user, "training.view"):
        return None
    today = gaps.today_wib()
    stmt = (
        sa.select(Operator)
        .where(Operator.region_code == region.code, Operator.active.is_(True))
        .order_by(Operator.name)
    )
    operators = list(db.session.scalars(stmt.limit(PANEL_LIMIT)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    return {
        "operators": operators,
        "operators_total": total or 0,
        "valid": gaps.valid_topics_for_operators([o.id for o in operators], today),
        "gaps": gaps.training_gaps(user, region.code, today),
        "topics": vocab.TRAINING_TOPIC,
        "can_write": can(user, "training.write"),
        "personal": can(user, "training.personal"),
    }

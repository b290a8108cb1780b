"""The "Operator & pelatihan" panel of a kecamatan page: its operators and its gaps."""

from __future__ import annotations

from assets_app.common import vocab
from assets_app.common.permissions import can
from assets_app.common.timeutil import today_wib
from assets_app.training import gaps, queries


def panel_context(region, user) -> dict | None:
    if not can(user, "training.view"):
        return None
    today = today_wib()
    operators, total = queries.kecamatan_operators(region.code)
    return {
        "operators": operators,
        "operators_total": total,
        "valid": gaps.valid_topics_for_operators([o.id for o in operators], today),
        "gaps": gaps.training_gaps(user, region.code, today),
        "topics": vocab.TRAINING_TOPIC,
        "can_write": can(user, "training.write"),
        "personal": can(user, "training.personal"),
    }

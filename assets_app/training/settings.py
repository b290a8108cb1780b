"""The training setting: months of validity per topic (installation-wide)."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common import vocab
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from assets_app.training.models import DEFAULT_VALIDITY_MONTHS, TopicValidity

TOPICS = tuple(vocab.TRAINING_TOPIC)


def validity_months() -> dict[str, int]:
    """Months of validity per topic (the setting; 24 when never set)."""
    stored = dict(db.session.execute(sa.select(TopicValidity.topic, TopicValidity.months)).all())
    return {t: stored.get(t, DEFAULT_VALIDITY_MONTHS) for t in TOPICS}


def set_validity_months(values: dict[str, int | None], by=None) -> dict[str, int]:
    """Stores the validity of each topic (1–120 whole months; the form and the caller give
    integers, or None when left empty). Affects certificates issued later."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for topic in TOPICS:
        months = values.get(topic)
        if not isinstance(months, int) or isinstance(months, bool):
            errors[topic] = ["Masa berlaku harus bilangan bulat (bulan)."]
            continue
        if not 1 <= months <= 120:
            errors[topic] = ["Masa berlaku harus antara 1 dan 120 bulan."]
            continue
        clean[topic] = months
    if errors:
        raise ValidationFailed(errors=errors)
    existing = {t.topic: t for t in db.session.scalars(sa.select(TopicValidity))}
    for topic, months in clean.items():
        row = existing.get(topic)
        if row is None:
            db.session.add(TopicValidity(topic=topic, months=months))
        elif row.months != months:
            row.months = months
    db.session.flush()
    return clean

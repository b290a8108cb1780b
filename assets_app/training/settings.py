"""The training setting: months of validity per topic, per kab/kota.

`region_code` NULL holds the installation default; a kab/kota's own rows override it topic by
topic for the certificates of that kab/kota's trainings."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common import vocab
from assets_app.common.errors import Forbidden, ValidationFailed
from assets_app.common.permissions import can
from assets_app.extensions import db
from assets_app.regions.models import kabkota_of
from assets_app.regions.services import require_setting_scope
from assets_app.training.models import DEFAULT_VALIDITY_MONTHS, TopicValidity

TOPICS = tuple(vocab.TRAINING_TOPIC)


def _rows_of(kab: str | None):
    same = TopicValidity.region_code.is_(None) if kab is None else TopicValidity.region_code == kab
    return sa.select(TopicValidity).where(same)


def validity_months(region_code: str | None = None) -> dict[str, int]:
    """Months of validity per topic for the kab/kota `region_code` lies in: its own where it
    set them, else the installation default, else 24. None: the installation default."""
    kab = kabkota_of(region_code) if region_code else None
    months = dict.fromkeys(TOPICS, DEFAULT_VALIDITY_MONTHS)
    for scope in (None, kab) if kab else (None,):
        for row in db.session.scalars(_rows_of(scope)):
            months[row.topic] = row.months
    return months


def has_own_validity(region_code: str) -> bool:
    return db.session.scalar(sa.select(sa.exists(_rows_of(kabkota_of(region_code))))) or False


def set_validity_months(
    values: dict[str, int | None], by=None, region_code: str | None = None
) -> dict[str, int]:
    """Stores the validity of each topic (1–120 whole months; the form and the caller give
    integers, or None when left empty) of one kab/kota, or the installation default (None:
    an admin without a region only). Affects certificates issued later."""
    if by is not None:
        if not can(by, "training.settings"):
            raise Forbidden("Hanya admin yang dapat mengubah masa berlaku sertifikat.")
        kab = require_setting_scope(by, region_code)
    else:  # CLI, demo and tests: trusted callers
        kab = kabkota_of(region_code) if region_code else None
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
    existing = {t.topic: t for t in db.session.scalars(_rows_of(kab))}
    for topic, months in clean.items():
        row = existing.get(topic)
        if row is None:
            db.session.add(TopicValidity(region_code=kab, topic=topic, months=months))
        elif row.months != months:
            row.months = months
    db.session.flush()
    return clean

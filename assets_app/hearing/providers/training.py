"""Training: operators with a valid certificate, and training gaps (a kecamatan holds equipment
of a category without a certified operator for it), from the training domain's services; the
value of the equipment concerned comes from the register. (The idle reason "tidak ada
operator terlatih" reaches the packet through assets.idle_extra_reasons.)"""

from __future__ import annotations

from datetime import date

from assets_app.assets import services as assets
from assets_app.hearing.providers.base import Provider, SectionProvider, moment, region_arg
from assets_app.training import queries as training
from reports.hearing_data import TrainingGap


def _training(user, region_code, start: date, end: date, today: date, *, as_of) -> dict:
    """Operators with a certificate valid on the day of `as_of`, and the training gaps then."""
    day, _ = moment(today, as_of)
    out: dict[str, dict] = {}
    for code, n in training.trained_operator_counts(user, region_code, day).items():
        out[code] = {"trained_operators": n}
    for code, n in training.gap_counts(user, region_code, day).items():
        out.setdefault(code, {})["training_gaps"] = n
    return out


def _training_gaps(user, region_code, start: date, end: date, today: date, *, as_of):
    day, at = moment(today, as_of)
    value = assets.register_by_region_category(user, region_code, at=at)
    return [
        TrainingGap(
            region_code=g.region_code,
            region_name=g.region_name,
            category=g.category_label,
            assets_count=g.assets_count,
            assets_value=value.get((g.region_code, g.category), (0, 0))[1],
            certified_operators=g.valid_operators,
        )
        for g in training.training_gaps(user, region_code, day)
        if g.is_gap
    ]


PROVIDERS = (
    Provider(
        "training",
        _training,
        section="training",
        metrics=("trained_operators", "training_gaps"),
        takes_as_of=True,
    ),
)
SECTIONS = (SectionProvider("training_gaps", _training_gaps, section="training", takes_as_of=True),)
DRILL = [
    ("training_gaps", "training.gaps_matrix", region_arg),
    ("trained_operators", "training.operators", lambda c: {**region_arg(c), "sertifikat": "ya"}),
]

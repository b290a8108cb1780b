"""Figures.of builds the same value as Figures(**values), only faster (a national summary
builds ~8,000); as_dict gives plain JSON values."""

import gc
from dataclasses import fields
from datetime import date

import pytest

from assets_app.common.runtime import GC_THRESHOLDS, tune_gc
from reports.hearing_data import METRIC_KEYS, Figures

VALUES = {
    "assets_count": 12,
    "assets_value": 345_000_000,
    "operational_pct": 91.67,
    "can_record_today": True,
    "downtime_hours": 7.5,
    "downtime_by_party": {"vendor": 5.0, "pln": 2.5},
    "last_report_on": date(2026, 11, 27),
    "blanko_closing": 40,
}


def test_of_equals_the_constructor_for_full_and_partial_values():
    assert Figures.of(VALUES) == Figures(**VALUES)
    assert Figures.of({}) == Figures()
    full = {f.name: getattr(Figures(**VALUES), f.name) for f in fields(Figures)}
    assert Figures.of(full) == Figures(**full)
    assert Figures.of(VALUES).__dict__.keys() == Figures(**VALUES).__dict__.keys()


def test_of_rejects_an_unknown_metric_and_stays_frozen():
    with pytest.raises(TypeError, match="metrik tidak dikenal"):
        Figures.of({"assets_count": 1, "asset_count": 2})
    with pytest.raises(AttributeError):
        Figures.of(VALUES).assets_count = 3


def test_default_mappings_are_not_shared_between_figures():
    a, b = Figures.of({}), Figures.of({})
    assert a.downtime_by_cause == {} and a.downtime_by_cause is not b.downtime_by_cause


def test_as_dict_is_plain_json_with_the_alias():
    out = Figures.of(VALUES | {"letters_unanswered": 3}).as_dict()
    assert list(out)[: len(METRIC_KEYS)] == list(METRIC_KEYS)
    assert out["last_report_on"] == "2026-11-27"
    assert out["downtime_by_party"] == {"vendor": 5.0, "pln": 2.5}
    assert type(out["downtime_by_party"]) is dict
    assert out["letters_awaiting_reply"] == 3
    assert Figures().as_dict()["last_report_on"] is None


def test_tune_gc_freezes_the_loaded_app_and_raises_the_thresholds():
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)

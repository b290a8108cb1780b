"""The gap service: who covers which (region, category), and when that changes."""

from datetime import UTC, date, datetime

import time_machine

from assets_app.common.timeutil import WIB
from assets_app.training import gaps
from tests.querycount import count_queries
from tests.training.factories import (
    SYSTEM,
    attend,
    bulk_kecamatan,
    certify,
    make_asset,
    make_operator,
    make_training,
)

PUJER, GRUJUGAN = "35.11.05", "35.11.06"


def _cell(rows, region, category):
    found = [r for r in rows if r.region_code == region and r.category == category]
    return found[0] if found else None


def test_equipment_without_certificate_is_a_gap(regions, db):
    make_asset(PUJER, "cetak_kk")
    make_asset(PUJER, "cetak_kk")
    make_operator(PUJER)  # an operator, but never trained
    rows = gaps.training_gaps(SYSTEM, "35.11", today=date(2026, 6, 1))
    cell = _cell(rows, PUJER, "cetak_kk")
    assert cell.status == "red" and cell.valid_operators == 0 and cell.assets_count == 2
    assert cell.region_name == "Kec. Pujer"
    assert gaps.gap_pairs([PUJER], today=date(2026, 6, 1)) == {(PUJER, "cetak_kk")}


def test_certificate_covers_only_its_topics_and_region(regions, db):
    make_asset(PUJER, "cetak_kk")
    make_asset(PUJER, "perekaman")
    make_asset(GRUJUGAN, "cetak_kk")
    certify(PUJER, ("cetak_kk",), ends_on=date(2026, 1, 15))
    rows = gaps.training_gaps(SYSTEM, today=date(2026, 6, 1))
    assert _cell(rows, PUJER, "cetak_kk").status == "ok"
    assert _cell(rows, PUJER, "cetak_kk").valid_operators == 1
    assert _cell(rows, PUJER, "perekaman").status == "red"
    assert _cell(rows, GRUJUGAN, "cetak_kk").status == "red"
    assert gaps.gap_pairs([PUJER, GRUJUGAN], today=date(2026, 6, 1)) == {
        (PUJER, "perekaman"),
        (GRUJUGAN, "cetak_kk"),
    }


def test_expiry_moves_the_kecamatan_into_the_gap_on_the_right_day(regions, db):
    """Session ends 15 Jan 2026; 24 months → valid through 14 Jan 2028 (WIB)."""
    make_asset(PUJER, "cetak_kk")
    _, _, att = certify(PUJER, ("cetak_kk",), ends_on=date(2026, 1, 15))
    assert att.valid_until == date(2028, 1, 14)

    def status_at(moment):
        with time_machine.travel(moment, tick=False):
            assert gaps.today_wib() == moment.astimezone(WIB).date()
            return _cell(gaps.training_gaps(SYSTEM), PUJER, "cetak_kk").status

    assert status_at(datetime(2027, 11, 14, 3, 0, tzinfo=UTC)) == "ok"  # 61 days left
    # 60 days before the end the only certificate turns amber.
    assert status_at(datetime(2027, 11, 15, 3, 0, tzinfo=UTC)) == "amber"
    # Last valid day, 23:59 WIB (16:59 UTC): still covered.
    assert status_at(datetime(2028, 1, 14, 16, 59, tzinfo=UTC)) == "amber"
    # Midnight WIB of 15 January (17:00 UTC on the 14th): the gap opens.
    assert status_at(datetime(2028, 1, 14, 17, 0, tzinfo=UTC)) == "red"
    with time_machine.travel(datetime(2028, 1, 15, 2, 0, tzinfo=UTC), tick=False):
        assert gaps.gap_pairs([PUJER]) == {(PUJER, "cetak_kk")}


def test_amber_only_when_every_certificate_ends_within_60_days(regions, db):
    make_asset(PUJER, "cetak_kk")
    certify(PUJER, ("cetak_kk",), ends_on=date(2024, 3, 1))  # valid through 28 Feb 2026
    today = date(2026, 2, 1)
    assert _cell(gaps.training_gaps(SYSTEM, today=today), PUJER, "cetak_kk").status == "amber"
    certify(PUJER, ("cetak_kk",), ends_on=date(2025, 9, 1))
    cell = _cell(gaps.training_gaps(SYSTEM, today=today), PUJER, "cetak_kk")
    assert cell.status == "ok" and cell.valid_operators == 2
    assert cell.latest_valid_until == date(2027, 8, 31)


def test_disposed_equipment_creates_no_gap(regions, db):
    make_asset(PUJER, "cetak_kk", status="dihapuskan")
    make_asset(PUJER, "pendukung")  # furniture needs no trained operator
    make_asset(GRUJUGAN, "cetak_kk", status="tidak_digunakan")  # idle still counts as held
    rows = gaps.training_gaps(SYSTEM, today=date(2026, 6, 1))
    assert _cell(rows, PUJER, "cetak_kk") is None
    assert _cell(rows, PUJER, "pendukung") is None
    assert _cell(rows, GRUJUGAN, "cetak_kk").status == "red"


def test_attendance_without_passing_gives_no_coverage(regions, db):
    make_asset(PUJER, "cetak_kk")
    op = make_operator(PUJER)
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    att = attend(training, op, passed=False, score=55)
    assert att.certificate_no is None
    assert _cell(gaps.training_gaps(SYSTEM, today=date(2026, 6, 1)), PUJER, "cetak_kk").is_gap
    # Passing later issues the certificate; un-passing again takes the coverage away.
    att = attend(training, op, passed=True, score=75)
    assert att.certificate_no
    assert not _cell(gaps.training_gaps(SYSTEM, today=date(2026, 6, 1)), PUJER, "cetak_kk").is_gap
    attend(training, op, passed=False, score=55)
    assert _cell(gaps.training_gaps(SYSTEM, today=date(2026, 6, 1)), PUJER, "cetak_kk").is_gap


def test_inactive_operator_gives_no_coverage(regions, db):
    from assets_app.training.services import set_operator_active

    make_asset(PUJER, "cetak_kk")
    op, _, _ = certify(PUJER, ("cetak_kk",), ends_on=date(2026, 1, 15))
    set_operator_active(op, False, by=SYSTEM)
    db.session.commit()
    assert _cell(gaps.training_gaps(SYSTEM, today=date(2026, 6, 1)), PUJER, "cetak_kk").is_gap


def test_gaps_follow_the_users_scope(regions, users, db):
    make_asset(PUJER, "cetak_kk")
    make_asset(GRUJUGAN, "cetak_kk")
    make_asset("36.73.05", "jaringan")
    codes = {r.region_code for r in gaps.training_gaps(users["camat"], today=date(2026, 6, 1))}
    assert codes == {PUJER}
    codes = {r.region_code for r in gaps.training_gaps(users["petugas"], today=date(2026, 6, 1))}
    assert codes == {PUJER, GRUJUGAN}
    # A region filter outside the scope yields nothing.
    assert gaps.training_gaps(users["petugas"], "36.73", today=date(2026, 6, 1)) == []
    assert gaps.gap_counts(users["admin"], today=date(2026, 6, 1)) == {
        PUJER: 1,
        GRUJUGAN: 1,
        "36.73.05": 1,
    }


def test_untrained_reason_for_assets(regions, db):
    idle_kk = make_asset(PUJER, "cetak_kk", status="tidak_digunakan")
    idle_rec = make_asset(PUJER, "perekaman", status="tidak_digunakan")
    other = make_asset(GRUJUGAN, "perekaman", status="tidak_digunakan")
    certify(PUJER, ("perekaman",), ends_on=date(2026, 1, 15))
    reasons = gaps.untrained_reason_for_assets([idle_kk, idle_rec, other], today=date(2026, 6, 1))
    assert reasons == {idle_kk.id: "tidak ada operator terlatih", other.id: gaps.UNTRAINED_REASON}
    assert gaps.untrained_reason_for_assets([]) == {}


def test_trained_operator_counts_include_every_kecamatan(regions, db):
    certify(PUJER, ("cetak_kk", "perekaman"), ends_on=date(2026, 1, 15))
    certify(PUJER, ("perekaman",), ends_on=date(2026, 1, 15))
    op = make_operator(PUJER)  # trained long ago only
    attend(make_training(("perekaman",), ends_on=date(2020, 1, 1)), op)
    certify("35.11", ("server",), ends_on=date(2026, 1, 15))  # the Dinas
    counts = gaps.trained_operator_counts(SYSTEM, "35.11", today=date(2026, 6, 1))
    assert counts[PUJER] == 2
    assert counts[GRUJUGAN] == 0
    assert counts["35.11"] == 1
    assert len([c for c in counts if c.count(".") == 2]) == 23  # every kecamatan of Bondowoso


def test_expiring_certificates_hide_ones_renewed(regions, db):
    op, _, _ = certify(PUJER, ("cetak_kk", "perekaman"), ends_on=date(2024, 3, 1))
    # Renewed for perekaman only: only cetak_kk is about to end.
    attend(make_training(("perekaman",), ends_on=date(2025, 12, 1)), op)
    rows = _expiring(db, "35.11", 60, date(2026, 2, 1))
    assert [(r.operator_id, r.topic, r.valid_until, r.days_left) for r in rows] == [
        (op.id, "cetak_kk", date(2026, 2, 28), 27)
    ]
    assert _expiring(db, "35.11", 10, date(2026, 2, 1)) == []
    assert _expiring(db, "36.73", 60, date(2026, 2, 1)) == []


def test_training_plan_lists_operators_to_invite(regions, db):
    make_asset(PUJER, "cetak_kk")
    make_asset(GRUJUGAN, "cetak_kk")
    make_asset(GRUJUGAN, "perekaman")
    fresh = make_operator(PUJER, "Ani Baru")
    expired = make_operator(PUJER, "Budi Lama")
    attend(make_training(("cetak_kk",), ends_on=date(2023, 1, 1)), expired)
    soon = make_operator(PUJER, "Citra Segera")
    attend(make_training(("cetak_kk",), ends_on=date(2024, 3, 1)), soon)
    ok = make_operator(PUJER, "Dodi Siap")
    attend(make_training(("cetak_kk",), ends_on=date(2025, 12, 1)), ok)
    plan = _plan(db, "35.11", date(2026, 2, 1))
    assert list(dict.fromkeys(e.topic for e in plan)) == ["perekaman", "cetak_kk"]
    kk = [e for e in plan if e.topic == "cetak_kk"]
    kk_operators = [e for e in kk if e.operator_id is not None]
    reasons = {e.operator_name: e.reason for e in kk_operators}
    assert reasons == {
        "Ani Baru": "belum_pernah",
        "Budi Lama": "kedaluwarsa",
        "Citra Segera": "segera_berakhir",
    }
    assert fresh.id in {e.operator_id for e in kk_operators}
    assert [e.region_code for e in kk if e.operator_id is None] == [GRUJUGAN]
    # Regions with a gap come first; Pujer is covered by Dodi, so inviting there closes none.
    assert kk[0].region_code == GRUJUGAN and kk[0].closes_gap
    assert not any(e.closes_gap for e in kk_operators)
    rec = [e for e in plan if e.topic == "perekaman"]
    assert [e.region_code for e in rec if e.operator_id is None] == [GRUJUGAN]
    summary = gaps.plan_summary(SYSTEM, "35.11", today=date(2026, 2, 1))
    assert summary == [("perekaman", "Perekaman KTP-el", 0, 1), ("cetak_kk", "Cetak KK", 3, 1)]
    # the overview and the plan in one query say what each says alone
    both = gaps.gap_figures(SYSTEM, "35.11", today=date(2026, 2, 1))
    assert both == (gaps.gap_overview(SYSTEM, "35.11", today=date(2026, 2, 1)), summary)


def test_gap_service_query_count_is_bounded_with_200_kecamatan(app, db, regions):
    bulk_kecamatan(db)
    today = date(2026, 6, 1)
    with count_queries(db.engine) as q:
        rows = gaps.training_gaps(SYSTEM, "99", today=today)
        pairs = gaps.gap_pairs({r.region_code for r in rows}, today=today)
        counts = gaps.trained_operator_counts(SYSTEM, "99", today=today)
        plan = _plan(db, "99", today)
        _expiring(db, "99", 60, today)
    assert len(rows) == 600
    # Uncovered half: perekaman and cetak_kk; everyone: jaringan.
    assert sum(1 for r in rows if r.status == "red") == 100 * 2 + 200
    assert len(pairs) == 400
    assert sum(1 for v in counts.values() if v) == 100
    # Covered half: the second operator for 2 topics + both for jaringan; the rest: 2 × 3.
    assert len(plan) == 100 * (2 + 2) + 100 * 6
    assert len(q) == 5, q


def _expiring(db, region, within_days, today):
    """What the expiring-certificates page lists (the statement, then its rows)."""
    stmt = gaps.expiring_certificates_stmt(SYSTEM, region, within_days, today)
    return gaps.expiring_rows(db.session.execute(stmt).all(), today)


def _plan(db, region, today):
    """What the training-plan page lists, every topic."""
    return gaps.plan_entries(
        db.session.execute(gaps.training_plan_stmt(SYSTEM, region, today)), today
    )

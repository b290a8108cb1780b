"""The transition matrix: every status × every role × every target, in the service; plus the
reporter's rights, the 14-day reopen window and scope."""

from datetime import timedelta

import pytest
import time_machine

from assets_app.common import vocab
from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.extensions import db
from assets_app.tickets import queries, services, workflow
from assets_app.tickets.models import Ticket
from tests.tickets.helpers import PATHS, file_ticket, walk

STATUSES = list(vocab.TICKET_STATUS)
ROLES = ("admin", "kadis", "petugas", "camat", "dprd")
HANDLERS = {"admin", "kadis", "petugas"}
KECAMATAN = {"admin", "kadis", "camat"}
# Written out from the issue, not read from workflow.STEPS, so the table is tested.
EXPECTED = {
    ("baru", "diterima"): HANDLERS,
    ("diterima", "dikerjakan"): HANDLERS,
    ("dikerjakan", "menunggu_pihak_ketiga"): HANDLERS,
    ("menunggu_pihak_ketiga", "dikerjakan"): HANDLERS,
    ("dikerjakan", "selesai"): HANDLERS,
    ("menunggu_pihak_ketiga", "selesai"): HANDLERS,
    ("selesai", "ditutup"): KECAMATAN,
    ("selesai", "dikerjakan"): KECAMATAN,
}


@pytest.fixture
def tickets_by_status(users):
    # Filed by the kabupaten admin so no tested role is also the reporter.
    out = {}
    for status in STATUSES:
        t = file_ticket(users["admin_kab"], title=f"Tiket {status}")
        walk(t, users["kadis"], users["kadis"], status)
        out[status] = t.id
    return out


def test_transition_matrix_every_status_role_and_target(users, tickets_by_status):
    checked = 0
    for source in STATUSES:
        for role in ROLES:
            for target in STATUSES:
                ticket = db.session.get(Ticket, tickets_by_status[source])
                assert ticket.status == source
                allowed = role in EXPECTED.get((source, target), set())
                try:
                    services.transition(
                        ticket,
                        by=users[role],
                        to=target,
                        note="catatan uji",
                        responsible_party="vendor" if target == "menunggu_pihak_ketiga" else None,
                    )
                    db.session.flush()
                    ok = True
                except ValidationFailed as e:
                    ok = False
                    assert "to" in e.errors, e.errors  # the refusal explains the transition
                    message = e.errors["to"][0]
                    assert vocab.TICKET_STATUS[target] in message or "Peran" in message
                finally:
                    db.session.rollback()
                assert ok == allowed, f"{source} → {target} as {role}: {ok}, want {allowed}"
                checked += 1
    assert checked == len(STATUSES) * len(ROLES) * len(STATUSES)


def test_refusal_messages_are_clear(users):
    t = file_ticket(users["camat"])
    with pytest.raises(ValidationFailed) as e:
        services.transition(t, by=users["kadis"], to="selesai", note="x")
    assert e.value.errors["to"] == [
        "Tiket berstatus Baru tidak dapat diubah menjadi Selesai. "
        "Langkah yang mungkin dari Baru: Diterima."
    ]
    db.session.rollback()
    with pytest.raises(ValidationFailed) as e:
        services.transition(t, by=users["camat"], to="diterima")
    assert e.value.errors["to"] == [
        "Peran Camat / Operator Kecamatan tidak boleh mengubah tiket dari Baru menjadi Diterima."
    ]
    db.session.rollback()
    walk(t, users["kadis"], users["camat"], "ditutup")
    with pytest.raises(ValidationFailed) as e:
        services.transition(t, by=users["kadis"], to="dikerjakan", note="x")
    assert "sudah final" in e.value.errors["to"][0]


def test_required_notes_and_third_party(users):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "dikerjakan")
    with pytest.raises(ValidationFailed) as e:
        services.transition(t, by=users["petugas"], to="selesai", note="  ")
    assert e.value.errors["note"] == ["Catatan wajib diisi: Apa yang diperbaiki?"]
    db.session.rollback()
    with pytest.raises(ValidationFailed) as e:
        services.transition(t, by=users["petugas"], to="menunggu_pihak_ketiga", note="tunggu")
    assert e.value.errors["responsible_party"] == [services.WAITED_PARTY_MISSING]
    assert "wajib dipilih" in services.WAITED_PARTY_MISSING
    db.session.rollback()
    with pytest.raises(ValidationFailed) as e:  # the Dinas does not wait for itself
        services.transition(
            t,
            by=users["petugas"],
            to="menunggu_pihak_ketiga",
            note="tunggu",
            responsible_party="disdukcapil",
        )
    assert e.value.errors["responsible_party"] == [services.WAITED_PARTY_MISSING]
    db.session.rollback()
    t = db.session.get(Ticket, t.id)
    assert t.status == "dikerjakan"


def test_reporter_may_close_and_reopen_their_own(users):
    t = file_ticket(users["petugas"])  # a petugas filing on behalf of the kecamatan
    walk(t, users["kadis"], None, "selesai")
    services.transition(t, by=users["petugas"], to="dikerjakan", note="Masih mati.")
    assert t.reopened_count == 1 and t.resolved_at is None
    services.transition(t, by=users["petugas"], to="selesai", note="Diganti lagi.")
    services.transition(t, by=users["petugas"], to="ditutup")
    db.session.commit()
    assert t.status == "ditutup" and t.closed_at is not None
    other = file_ticket(users["camat"])
    walk(other, users["kadis"], None, "selesai")
    with pytest.raises(ValidationFailed):  # not the reporter, and petugas do not close
        services.transition(other, by=users["petugas"], to="ditutup")


def test_reopen_only_within_14_days(users):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "selesai")
    resolved = t.resolved_at
    with time_machine.travel(resolved + timedelta(days=14, hours=-1), tick=False):
        assert [s.target for s in queries.allowed_steps(t, users["camat"])] == [
            "ditutup",
            "dikerjakan",
        ]
    with time_machine.travel(resolved + timedelta(days=14, hours=1), tick=False):
        assert [s.target for s in queries.allowed_steps(t, users["camat"])] == ["ditutup"]
        with pytest.raises(ValidationFailed) as e:
            services.transition(t, by=users["camat"], to="dikerjakan", note="rusak lagi")
        assert "14 hari" in e.value.errors["to"][0]


def test_other_kecamatan_camat_gets_not_found(users):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "selesai")
    with pytest.raises(NotFound):
        services.transition(t, by=users["camat2"], to="ditutup")
    with pytest.raises(NotFound):
        services.transition(t, by=users["petugas_serang"], to="dikerjakan", note="x")
    assert queries.allowed_steps(t, users["camat2"]) == []


def test_every_step_changes_timestamps_and_writes_an_event(users):
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], users["camat"], "ditutup")
    events = queries.ticket_events(t)
    trail = [(e.kind, e.from_value, e.to_value) for e in events if e.kind == "transition"]
    assert trail == [
        ("transition", None, "baru"),
        ("transition", "baru", "diterima"),
        ("transition", "diterima", "dikerjakan"),
        ("transition", "dikerjakan", "selesai"),
        ("transition", "selesai", "ditutup"),
    ]
    assert all(e.author_id for e in events)
    assert t.accepted_at and t.resolved_at and t.closed_at
    # Accepting assigns the ticket to whoever accepted it, as its own event.
    assert t.assignee_id == users["petugas"].id
    assert any(e.kind == "assign" for e in events)


def test_events_are_append_only(users):
    t = file_ticket(users["camat"])
    ev = queries.ticket_events(t)[0]
    ev.note = "diubah"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_priority_matrix_covers_every_pair():
    levels = ("rendah", "sedang", "tinggi")
    got = {(u, i): workflow.priority_for(u, i) for u in levels for i in levels}
    assert got[("tinggi", "tinggi")] == "kritis"
    assert got[("rendah", "rendah")] == "rendah"
    assert got[("tinggi", "sedang")] == got[("sedang", "tinggi")] == "tinggi"
    assert got[("sedang", "sedang")] == "sedang"
    assert set(got.values()) == set(vocab.TICKET_PRIORITY)


def test_paths_helper_reaches_every_status(users):
    for status in PATHS:
        t = file_ticket(users["camat"], title=status)
        walk(t, users["kadis"], users["camat"], status)
        assert t.status == status

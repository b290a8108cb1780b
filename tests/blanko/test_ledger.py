"""The ledger rules, one by one: every kind, the refusals, receipts and approvals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assets_app.blanko import ditjen, queries, services
from assets_app.blanko.models import BlankoMovement, BlankoRequest
from assets_app.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER, ago


def errors_of(exc_info) -> dict:
    return exc_info.value.errors


# --- penerimaan ------------------------------------------------------------------------------


def test_penerimaan_adds_to_dinas_on_hand(ledger):
    m = ledger.receive(1000)
    assert ledger.bal(DINAS) == (1000, 0, 0)
    loaded = queries.get_movement(ledger.users["petugas"], m.id)
    assert loaded.status == "posted"
    assert loaded.region_code == DINAS and loaded.from_region is None


def test_penerimaan_requires_bast_number_and_date_and_a_dinas(ledger, users):
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(users["petugas"], kind="penerimaan", to_region=PUJER, quantity=10)
    errs = errors_of(e)
    assert errs["reference"] == ["Nomor BAST wajib diisi untuk penerimaan."]
    assert errs["bast_date"] == ["Tanggal BAST wajib diisi untuk penerimaan."]
    assert "harus gudang Dinas (kab/kota)" in errs["to_region"][0]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BlankoMovement)) == 0


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Jumlah harus lebih dari 0."),
        (-5, "Jumlah harus lebih dari 0."),
        ("lima", "Jumlah harus berupa bilangan bulat."),
        (2.5, "Jumlah harus berupa bilangan bulat."),
        (None, "Jumlah wajib diisi."),
    ],
)
def test_quantity_must_be_a_positive_whole_number(ledger, users, quantity, message):
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["petugas"],
            kind="penerimaan",
            to_region=DINAS,
            quantity=quantity,
            reference="BAST/1",
            bast_date=ago(1).date(),
        )
    assert errors_of(e)["quantity"] == [message]


def test_future_time_and_unknown_kind_are_refused(ledger, users):
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["petugas"],
            kind="penerimaan",
            to_region=DINAS,
            quantity=5,
            reference="B",
            bast_date=ago(1).date(),
            occurred_at=ago(-1),
        )
    assert errors_of(e)["occurred_at"] == ["Waktu tidak boleh di masa depan."]
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(users["petugas"], kind="hilang", quantity=5)
    assert "Jenis mutasi harus salah satu dari" in errors_of(e)["kind"][0]


def test_camat_and_dprd_cannot_receive_from_ditjen(ledger, users):
    for role in ("camat", "dprd"):
        with pytest.raises(Forbidden):
            services.record_movement(
                users[role],
                kind="penerimaan",
                to_region=DINAS,
                quantity=5,
                reference="B",
                bast_date=ago(1).date(),
            )


def test_out_of_scope_location_is_refused(ledger, users):
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["petugas_serang"],
            kind="penerimaan",
            to_region=DINAS,
            quantity=5,
            reference="B",
            bast_date=ago(1).date(),
        )
    assert errors_of(e)["to_region"] == ["Wilayah 35.11 di luar cakupan wilayah Anda."]


# --- distribusi and receipts -----------------------------------------------------------------


def test_distribusi_leaves_dinas_at_dispatch_and_is_in_transit_until_receipt(ledger):
    ledger.receive(1000)
    m = ledger.distribute(200, PUJER)
    assert ledger.bal(DINAS) == (800, 0, 0)
    assert ledger.bal(PUJER) == (0, 200, 0)
    assert queries.get_movement(ledger.users["camat"], m.id).status == "in_transit"
    receipt = ledger.confirm(m, 200)
    assert receipt.difference == 0
    assert ledger.bal(PUJER) == (200, 0, 0)
    assert queries.get_movement(ledger.users["camat"], m.id).status == "received"


def test_distribusi_refused_when_dinas_stock_is_short_with_a_clear_message(ledger, users):
    ledger.receive(3)
    with pytest.raises(ValidationFailed) as e:
        ledger.distribute(5, PUJER)
    assert errors_of(e)["quantity"] == [
        "Stok di Gudang Dinas Kab. Bondowoso tidak cukup: tersedia 3, diminta 5."
    ]
    db.session.rollback()
    assert ledger.bal(DINAS) == (3, 0, 0)
    assert ledger.bal(PUJER) == (0, 0, 0)


def test_distribusi_only_to_a_kecamatan_of_the_same_dinas(ledger, users):
    ledger.receive(100)
    with pytest.raises(ValidationFailed) as e:
        ledger.distribute(5, "36.73.05", by="admin")
    assert "bukan kecamatan di bawah Gudang Dinas Kab. Bondowoso" in errors_of(e)["to_region"][0]
    with pytest.raises(ValidationFailed) as e:
        ledger.distribute(5, DINAS)
    assert "harus kecamatan" in errors_of(e)["to_region"][0]


def test_receipt_with_a_difference_needs_a_reason_and_keeps_it(ledger):
    ledger.receive(500)
    m = ledger.distribute(200, PUJER)
    with pytest.raises(ValidationFailed) as e:
        ledger.confirm(m, 195)
    assert errors_of(e)["note"] == [
        "Jumlah diterima (195) berbeda dari yang dikirim (200): alasan selisih wajib diisi."
    ]
    db.session.rollback()
    receipt = ledger.confirm(m, 195, note="5 keping tidak ada dalam kardus")
    assert receipt.quantity_sent == 200 and receipt.difference == 5
    assert ledger.bal(PUJER) == (195, 0, 0)
    assert ledger.bal(DINAS) == (300, 0, 0)


def test_receipt_only_once_and_only_by_the_destination(ledger, users):
    ledger.receive(500)
    m = ledger.distribute(100, PUJER)
    with pytest.raises(NotFound):  # the camat of another kecamatan does not see it
        services.receive_movement(users["camat2"], m.id, quantity_received=100)
    with pytest.raises(Forbidden):
        services.receive_movement(users["dprd"], m.id, quantity_received=100)
    ledger.confirm(m, 100)
    with pytest.raises(Conflict):
        ledger.confirm(m, 100)
    db.session.rollback()
    assert ledger.bal(PUJER) == (100, 0, 0)


def test_receipt_of_a_movement_that_is_not_a_transfer_is_refused(ledger):
    ledger.stock(PUJER, 50)
    used = ledger.use(5)
    with pytest.raises(ValidationFailed, match="tidak memerlukan konfirmasi penerimaan"):
        ledger.confirm(used, 5)


def test_receipt_cannot_be_dated_before_dispatch(ledger):
    ledger.receive(100)
    m = ledger.distribute(10, PUJER, occurred_at=ago(1))
    with pytest.raises(ValidationFailed) as e:
        ledger.confirm(m, 10, received_at=ago(3))
    assert errors_of(e)["received_at"] == ["Waktu tidak boleh sebelum waktu mutasi yang dirujuk."]


# --- pemakaian -------------------------------------------------------------------------------


def test_pemakaian_reduces_the_kecamatan_and_is_refused_beyond_it(ledger):
    ledger.stock(PUJER, 10)
    ledger.use(7)
    assert ledger.bal(PUJER) == (3, 0, 0)
    with pytest.raises(ValidationFailed) as e:
        ledger.use(5)
    assert errors_of(e)["quantity"] == ["Stok di Kec. Pujer tidak cukup: tersedia 3, diminta 5."]
    db.session.rollback()
    assert ledger.bal(PUJER) == (3, 0, 0)


def test_camat_records_pemakaian_only_for_own_kecamatan(ledger, users):
    ledger.stock(KEC2, 10)
    with pytest.raises(ValidationFailed) as e:
        ledger.use(1, KEC2, by="camat")
    assert errors_of(e)["from_region"] == ["Wilayah 35.11.06 di luar cakupan wilayah Anda."]
    with pytest.raises(Forbidden):
        ledger.use(1, KEC2, by="dprd")
    ledger.use(1, KEC2, by="camat2")
    assert ledger.bal(KEC2) == (9, 0, 0)


# --- rusak and approval ----------------------------------------------------------------------


def test_rusak_is_pending_and_reserves_cards_without_reducing_the_balance(ledger, users):
    ledger.stock(PUJER, 10)
    m = ledger.damage(4)
    assert ledger.bal(PUJER) == (10, 0, 4)
    assert queries.get_movement(users["kadis"], m.id).status == "pending_approval"
    # The reserved cards cannot be used meanwhile.
    with pytest.raises(ValidationFailed) as e:
        ledger.use(7)
    assert errors_of(e)["quantity"] == [
        "Stok di Kec. Pujer tidak cukup: tersedia 6 (4 keping menunggu persetujuan penghapusan), "
        "diminta 7."
    ]


def test_rusak_beyond_available_is_refused(ledger):
    ledger.stock(PUJER, 3)
    with pytest.raises(ValidationFailed) as e:
        ledger.damage(5)
    assert errors_of(e)["quantity"] == [
        "Stok di Kec. Pujer tidak cukup untuk mencatat kartu rusak: tersedia 3, diminta 5."
    ]


def test_kadis_approval_with_berita_acara_reduces_the_balance(ledger, users):
    ledger.stock(PUJER, 10)
    m = ledger.damage(4)
    decision = ledger.decide(m, True, ba="BA/07/2026")
    assert decision.approved and decision.berita_acara_no == "BA/07/2026"
    assert ledger.bal(PUJER) == (6, 0, 0)
    assert queries.get_movement(users["camat"], m.id).status == "approved"


def test_approval_needs_a_berita_acara_number(ledger, users):
    ledger.stock(PUJER, 10)
    m = ledger.damage(4)
    with pytest.raises(ValidationFailed) as e:
        ledger.decide(m, True, ba="  ")
    assert errors_of(e)["berita_acara_no"] == ["Nomor berita acara wajib diisi untuk menyetujui."]
    db.session.rollback()
    assert ledger.bal(PUJER) == (10, 0, 4)


def test_rejection_leaves_the_balance_and_frees_the_cards(ledger, users):
    ledger.stock(PUJER, 10)
    m = ledger.damage(4)
    decision = ledger.decide(m, False, ba=None, note="Kartu masih bagus")
    assert decision.approved is False
    assert ledger.bal(PUJER) == (10, 0, 0)
    assert queries.get_movement(users["camat"], m.id).status == "rejected"
    ledger.use(10)
    assert ledger.bal(PUJER) == (0, 0, 0)


def test_only_kadis_approves_and_only_once(ledger, users):
    ledger.stock(PUJER, 10)
    m = ledger.damage(2)
    for role in ("petugas", "admin", "camat", "dprd"):
        with pytest.raises(Forbidden):
            ledger.decide(m, True, by=role)
    ledger.decide(m, True)
    with pytest.raises(Conflict):
        ledger.decide(m, False)
    db.session.rollback()
    assert ledger.bal(PUJER) == (8, 0, 0)


def test_approval_of_a_movement_that_needs_none_is_refused(ledger):
    m = ledger.receive(10)
    with pytest.raises(ValidationFailed, match="tidak memerlukan persetujuan"):
        ledger.decide(m, True)


def test_kadis_of_another_region_cannot_see_the_write_off(ledger, users):
    from tests.factories import make_user

    other = make_user("kadis", "36.73", username="kadis.serang")
    ledger.stock(PUJER, 10)
    m = ledger.damage(2)
    with pytest.raises(NotFound):
        ledger.decide(m, True, by=other)


# --- pengembalian ----------------------------------------------------------------------------


def test_pengembalian_goes_back_to_the_parent_dinas_with_receipt(ledger, users):
    ledger.stock(PUJER, 50)
    m = services.record_movement(
        users["camat"], kind="pengembalian", from_region=PUJER, quantity=20, occurred_at=ago(0, 2)
    )
    db.session.commit()
    assert m.to_region == DINAS
    assert ledger.bal(PUJER) == (30, 0, 0)
    assert ledger.bal(DINAS) == (0, 20, 0)
    with pytest.raises(NotFound):  # the camat cannot confirm at the Dinas
        ledger.confirm(m, 20, by="camat")
    db.session.rollback()
    ledger.confirm(m, 20, by="petugas")
    assert ledger.bal(DINAS) == (20, 0, 0)


def test_pengembalian_to_another_dinas_is_refused(ledger, users):
    ledger.stock(PUJER, 50)
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["admin"],
            kind="pengembalian",
            from_region=PUJER,
            to_region="36.73",
            quantity=5,
        )
    assert (
        "hanya dapat mengembalikan blanko ke gudang Dinas kab/kota induknya"
        in (errors_of(e)["to_region"][0])
    )


# --- penyesuaian from stock opname -----------------------------------------------------------


def test_opname_shortfall_becomes_a_pending_penyesuaian_needing_kadis(ledger, users):
    ledger.stock(PUJER, 100)
    opname = services.record_stock_opname(
        users["petugas"], region_code=PUJER, counted_quantity=97, reason="3 kartu tidak ditemukan"
    )
    db.session.commit()
    assert opname.system_quantity == 100 and opname.difference == -3
    m = queries.get_movement(users["kadis"], opname.movement_id)
    assert m.kind == "penyesuaian" and m.from_region == PUJER and m.quantity == 3
    assert m.status == "pending_approval"
    assert ledger.bal(PUJER) == (100, 0, 3)
    ledger.decide(m, True, ba="BA/SO/1")
    assert ledger.bal(PUJER) == (97, 0, 0)


def test_opname_surplus_is_added_only_when_approved(ledger, users):
    ledger.stock(PUJER, 100)
    opname = services.record_stock_opname(
        users["petugas"], region_code=PUJER, counted_quantity=104, reason="Kardus tercecer"
    )
    db.session.commit()
    assert ledger.bal(PUJER) == (100, 0, 0)
    m = queries.get_movement(users["kadis"], opname.movement_id)
    assert m.to_region == PUJER and m.from_region is None
    ledger.decide(m, False, ba=None)
    assert ledger.bal(PUJER) == (100, 0, 0)
    opname2 = services.record_stock_opname(
        users["petugas"], region_code=PUJER, counted_quantity=104, reason="Hitung ulang"
    )
    db.session.commit()
    ledger.decide(queries.get_movement(users["kadis"], opname2.movement_id), True, ba="BA/SO/2")
    assert ledger.bal(PUJER) == (104, 0, 0)


def test_opname_rules(ledger, users):
    ledger.stock(PUJER, 100)
    same = services.record_stock_opname(users["petugas"], region_code=PUJER, counted_quantity=100)
    db.session.commit()
    assert same.movement_id is None and same.difference == 0
    with pytest.raises(ValidationFailed) as e:
        services.record_stock_opname(users["petugas"], region_code=PUJER, counted_quantity=90)
    assert errors_of(e)["reason"] == [
        "Hasil hitung (90) berbeda dari buku (100): alasan selisih wajib diisi."
    ]
    db.session.rollback()
    services.record_stock_opname(
        users["petugas"], region_code=PUJER, counted_quantity=90, reason="hilang"
    )
    db.session.commit()
    with pytest.raises(ValidationFailed, match="masih ada penyesuaian|Masih ada penyesuaian"):
        services.record_stock_opname(
            users["petugas"], region_code=PUJER, counted_quantity=80, reason="hilang lagi"
        )
    db.session.rollback()
    with pytest.raises(Forbidden):
        services.record_stock_opname(users["camat"], region_code=PUJER, counted_quantity=1)


def test_penyesuaian_needs_a_reason_through_the_generic_entry(ledger, users):
    ledger.stock(PUJER, 10)
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["petugas"], kind="penyesuaian", from_region=PUJER, quantity=2
        )
    assert errors_of(e)["note"] == ["Alasan penyesuaian wajib diisi."]


# --- append-only and corrections ------------------------------------------------------------


def test_movements_are_append_only(ledger):
    m = ledger.receive(10)
    m.quantity = 11
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(BlankoMovement, m.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_a_wrong_pemakaian_is_corrected_by_a_new_penyesuaian(ledger, users):
    ledger.stock(PUJER, 50)
    wrong = ledger.use(40, note="seharusnya 4")
    fix = services.correct_movement(
        users["petugas"], wrong.id, quantity=36, reason="salah ketik, seharusnya 4"
    )
    db.session.commit()
    assert fix.kind == "penyesuaian" and fix.to_region == PUJER and fix.quantity == 36
    assert fix.note == f"Koreksi mutasi #{wrong.id} (pemakaian): salah ketik, seharusnya 4"
    assert ledger.bal(PUJER) == (10, 0, 0)  # only once the kadis approves
    ledger.decide(fix, True, ba="BA/KOREKSI/1")
    assert ledger.bal(PUJER) == (46, 0, 0)
    assert db.session.get(BlankoMovement, wrong.id).quantity == 40


def test_correction_rules(ledger, users):
    ledger.stock(PUJER, 50)
    wrong_receipt = db.session.scalar(
        sa.select(BlankoMovement).where(BlankoMovement.kind == "penerimaan")
    )
    with pytest.raises(ValidationFailed) as e:
        services.correct_movement(users["petugas"], wrong_receipt.id, quantity=51, reason="x")
    assert errors_of(e)["quantity"] == [
        f"Koreksi paling banyak 50 keping (jumlah mutasi #{wrong_receipt.id})."
    ]
    with pytest.raises(ValidationFailed) as e:
        services.correct_movement(users["petugas"], wrong_receipt.id, quantity=5, reason="")
    assert errors_of(e)["note"] == ["Alasan koreksi wajib diisi."]
    # The Dinas has nothing left: a downward correction of the penerimaan cannot be reserved.
    with pytest.raises(ValidationFailed, match="tidak cukup"):
        services.correct_movement(users["petugas"], wrong_receipt.id, quantity=5, reason="x")
    db.session.rollback()
    rusak = ledger.damage(1)
    with pytest.raises(ValidationFailed, match="dikoreksi lewat"):
        services.correct_movement(users["petugas"], rusak.id, quantity=1, reason="x")
    with pytest.raises(Forbidden):
        services.correct_movement(users["camat"], rusak.id, quantity=1, reason="x")


def test_every_movement_is_audited(ledger):
    from assets_app.audit.models import AuditLog

    m = ledger.receive(10)
    row = db.session.scalar(
        sa.select(AuditLog).where(
            AuditLog.entity == "blanko_movements", AuditLog.entity_id == str(m.id)
        )
    )
    assert row.action == "insert" and row.changes["quantity"] == 10 and row.region_code == DINAS


# --- requests --------------------------------------------------------------------------------


def test_request_is_suggested_from_consumption_and_closed_by_a_penerimaan(ledger, users):
    ledger.stock(PUJER, 400)
    for day in range(1, 11):
        ledger.use(20, occurred_at=ago(day))
    # 200 used in 30 days → 6,67/day; stock 200; horizon 14 + 30 + 7 = 51 days → 340 − 200 = 140
    basis = queries.request_suggestion(users["petugas"], DINAS)
    assert basis["usage_30_days"] == 200 and basis["stock"] == 200
    assert basis["suggested"] == 200  # rounded up to the next hundred
    req = ditjen.create_request(users["petugas"], region_code=DINAS)
    db.session.commit()
    assert req.quantity == 200 and req.status == "open"
    assert req.letter_no is None  # numbered when the kadis signs its letter
    _sign_letter_of(req, users["kadis"])
    assert req.letter_no.startswith("400.12.2.1/0001/Disdukcapil/")
    again = queries.request_suggestion(users["petugas"], DINAS)
    assert again["open_requests"] == 200 and again["suggested"] == 0
    m = ledger.receive(200, ref="BAST/DITJEN/9", request_id=req.id)
    db.session.refresh(req)
    assert req.status == "closed"
    assert queries.request_fulfilment([req.id])[req.id].id == m.id
    with pytest.raises(ValidationFailed) as e:
        ledger.receive(200, ref="BAST/DITJEN/10", request_id=req.id)
    assert "sudah terpenuhi" in errors_of(e)["request_id"][0]


def _sign_letter_of(req, kadis):
    from assets_app.letters import queries as letter_queries
    from assets_app.letters import services as letters

    [letter] = letter_queries.letters_for_subject("blanko_request", req.id)
    letters.sign_letter(letter, kadis)
    db.session.commit()
    db.session.refresh(req)
    assert req.letter_no == letter.number
    return letter


def test_request_cancel_needs_a_reason(ledger, users):
    ledger.stock(PUJER, 100)
    req = ditjen.create_request(users["petugas"], region_code=DINAS, quantity=500)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        ditjen.cancel_request(users["petugas"], req.id, note="")
    db.session.rollback()
    ditjen.cancel_request(users["petugas"], req.id, note="Dapat pinjaman provinsi")
    db.session.commit()
    assert db.session.get(BlankoRequest, req.id).status == "cancelled"
    second = ditjen.create_request(users["petugas"], region_code=DINAS, quantity=100)
    _sign_letter_of(second, users["kadis"])
    # the cancelled request's draft was never signed: it burnt no number
    assert second.letter_no.startswith("400.12.2.1/0001/")


def test_request_only_from_a_dinas(ledger, users):
    with pytest.raises(ValidationFailed):
        ditjen.create_request(users["petugas"], region_code=PUJER, quantity=10)
    with pytest.raises(Forbidden):
        ditjen.create_request(users["camat"], region_code=DINAS, quantity=10)


def test_request_letter_numbers_share_the_dinas_letter_sequence(ledger, users):
    """A blanko request and a signed ticket letter of the same Dinas never share a number."""
    from assets_app.letters import services as letters

    draft = letters.compose_letter(
        by=users["petugas"],
        region_code=DINAS,
        direction="keluar",
        recipient="Diskominfo",
        perihal="Perbaikan jaringan",
        body="Mohon perbaikan jaringan.",
        classification="000.2.2",
    )
    letters.sign_letter(draft, users["kadis"])
    req = ditjen.create_request(users["petugas"], region_code=DINAS, quantity=500)
    _sign_letter_of(req, users["kadis"])
    assert draft.number.startswith("000.2.2/0001/")
    assert req.letter_no.startswith("400.12.2.1/0002/")

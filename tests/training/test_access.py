"""URL × role × scope matrix of the training pages."""

from datetime import date

import pytest

from tests.access import Case, check, expect, params
from tests.training.factories import attend, make_operator, make_training

WRITE = expect(camat=403, dprd=403)
WRITE_POST = expect(admin=302, kadis=302, petugas=302, camat=403, dprd=403)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def world(ctx):
    """An operator, a session, a passed attendee and materials in 35.11 — and the same in
    Kota Serang (36.73), outside every scoped test user."""
    from assets_app.extensions import db
    from assets_app.training.materials import UploadedFile, attach_materials

    for key, kab, kec in (("in", "35.11", "35.11.05"), ("out", "36.73", "36.73.05")):
        op = make_operator(kec, f"Operator {key}")
        training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15), region_code=kab)
        attach_materials(training, UploadedFile("materi.pdf", "application/pdf", PDF_BYTES))
        db.session.commit()
        att = attend(training, op, passed=True, score=80)
        ctx[key] = {"op": op.id, "training": training.id, "att": att.id, "token": att.verify_token}


def _p(template, key="in"):
    return lambda ctx: template.format(**ctx[key])


def _in_out(template):
    return {"path": _p(template), "out_path": _p(template, "out"), "setup": world}


CASES = [
    Case("training.operators", "/pelatihan/operator", expect()),
    Case("training.operator_new", "/pelatihan/operator/baru", WRITE),
    Case("training.operator_detail", expect=expect(), **_in_out("/pelatihan/operator/{op}")),
    Case("training.operator_edit", expect=WRITE, **_in_out("/pelatihan/operator/{op}/ubah")),
    Case(
        "training.operator_toggle",
        expect=WRITE_POST,
        method="POST",
        **_in_out("/pelatihan/operator/{op}/status"),
    ),
    Case("training.operator_import", "/pelatihan/operator/impor", WRITE),
    Case("training.operator_template", "/pelatihan/operator/templat.xlsx", WRITE),
    Case("training.trainings", "/pelatihan/", expect()),
    Case("training.training_new", "/pelatihan/baru", WRITE),
    Case("training.training_detail", expect=expect(), **_in_out("/pelatihan/{training}")),
    Case("training.training_edit", expect=WRITE, **_in_out("/pelatihan/{training}/ubah")),
    Case(
        "training.attendance_add",
        _p("/pelatihan/{training}/peserta"),
        WRITE_POST,
        method="POST",
        setup=world,
        data=lambda ctx: {"operator_id": str(ctx["in"]["op"]), "present": "y", "score": "70"},
    ),
    Case(
        "training.attendance_update",
        expect=WRITE_POST,
        method="POST",
        data=lambda ctx: {f"a{ctx['in']['att']}-present": "y"},
        **_in_out("/pelatihan/{training}/peserta/{att}"),
    ),
    Case("training.materials", expect=expect(), **_in_out("/pelatihan/{training}/materi")),
    Case(
        "training.certificate_pdf",
        expect=expect(dprd=403),
        **_in_out("/pelatihan/sertifikat/{att}.pdf"),
    ),
    Case("training.gaps_matrix", "/pelatihan/kesenjangan", expect()),
    Case("training.expiring", "/pelatihan/kesenjangan/segera-berakhir", expect()),
    Case("training.plan", "/pelatihan/kesenjangan/rencana", expect()),
    Case(
        "training.settings",
        "/pelatihan/pengaturan",
        expect(kadis=403, petugas=403, camat=403, dprd=403),
    ),
    Case(
        "training_public.certificate",
        _p("/sertifikat/{token}"),
        expect(anon=200),
        setup=world,
    ),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)


def test_attendance_on_a_session_outside_scope_is_404(app, client, login, users):
    ctx = {}
    world(ctx)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        login(users["petugas"])
        out = f"/pelatihan/{ctx['out']['training']}/peserta"
        resp = client.post(out, data={"operator_id": str(ctx["out"]["op"]), "present": "y"})
        assert resp.status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_camat_sees_kabupaten_session_but_only_own_attendees(app, client, login, users):
    ctx = {}
    world(ctx)
    other = make_operator("35.11.06", "Operator Grujugan")
    from assets_app.extensions import db
    from assets_app.training.models import Training

    attend(db.session.get(Training, ctx["in"]["training"]), other, passed=True)
    login(users["camat"])
    html = client.get(f"/pelatihan/{ctx['in']['training']}").get_data(as_text=True)
    assert "Operator in" in html and "Operator Grujugan" not in html
    assert "Tambah peserta" not in html  # camat reads only
    login(users["petugas"])
    html = client.get(f"/pelatihan/{ctx['in']['training']}").get_data(as_text=True)
    assert "Operator in" in html and "Operator Grujugan" in html and "Tambah peserta" in html

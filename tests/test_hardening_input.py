"""Issue 20, items 1, 5 and 10: no 500 for any input, text hygiene at every boundary, renderers
safe against rows stored before the checks, dates in a sane window, exports only in scope."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa

from assets_app.assets.models import Asset
from assets_app.common.timeutil import dialect
from assets_app.extensions import db
from tests.assets.helpers import asset_data, make_asset

BIG = "2147483648"  # 2^31: one past the id columns
HUGE = "9223372036854775808"  # 2^63


def _json_body(**overrides):
    data = asset_data(**overrides)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def _no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


# --- 1. control characters -------------------------------------------------------------


@pytest.mark.parametrize("bad", ["X\u0001\u001b[31m", "a\u0000b", "\udcff", "a\u007fb"])
def test_api_refuses_control_characters_in_text(db, client, users, api_token, bad):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/assets", json=_json_body(name=bad), headers=h)
    assert resp.status_code == 400, resp.json
    [msg] = resp.json["errors"]["name"]
    assert "karakter kendali yang tidak diizinkan" in msg and "'name'" in msg
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0


def test_api_keeps_tabs_and_line_breaks_in_notes(db, client, users, api_token):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/assets", json=_json_body(notes="baris 1\r\nbaris\t2"), headers=h)
    assert resp.status_code == 201, resp.json


def test_form_field_names_the_control_character(app, client, users, login):
    _no_csrf(app)
    login(users["petugas"])
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else (v or ""))
        for k, v in asset_data(name="Printer\u0001").items()
    }
    resp = client.post("/aset/baru", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Berisi karakter kendali yang tidak diizinkan (U+0001)." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0


def test_parse_text_and_note_field_rules():
    from assets_app.common.validate import Invalid, check_text, parse_text
    from reports._format import escape, printable

    assert parse_text("a\tb\nc") == "a b c"
    with pytest.raises(Invalid, match="U\\+001B"):
        parse_text("X\x1b[31m")
    assert parse_text("a\r\nb") == "a b"
    assert check_text("a\r\nb", allow_cr=True) == "a\r\nb"
    with pytest.raises(Invalid, match="U\\+DCFF"):
        check_text("\udcff", allow_cr=True)
    assert printable("X\x01\x1b[31m\r\nY\udcff\x00\x85") == "X[31m\r\nY"
    assert escape("<b>\x01&") == "&lt;b&gt;&amp;"


def test_importer_text_cells_refuse_control_characters(app, users):
    from assets_app.assets import importer
    from tests.assets.xlsx import asset_row, workbook_bytes

    # openpyxl itself refuses C0 characters when writing, so the file carries a C1 one
    data = workbook_bytes([asset_row(1, **{"Nama Barang": "PC\x9b31m"})])
    with pytest.raises(importer.ImportFailed) as err:
        importer.validate_assets(data, users["admin"])
    assert any("Nama Barang" in m and "karakter kendali" in m for m in err.value.messages)


# --- 1/2. old rows with control characters do not break exports or packets ------------


DIRTY = "X\x01\x1b[31m <b>&"  # a terminal escape, markup and an ampersand


def _store_dirty_asset(**kw):
    """A row stored before the checks existed: written past the validation, straight in SQL
    (NUL too on SQLite; PostgreSQL cannot store it at all)."""
    from tests.hearing.helpers import make_asset as raw_asset

    dirty = DIRTY + ("" if dialect() == "postgresql" else "\x00")
    asset = raw_asset("35.11.05", status="tidak_digunakan", **kw)
    db.session.execute(
        sa.update(Asset).where(Asset.id == asset.id).values(name=dirty, notes=dirty, vendor=dirty)
    )
    db.session.commit()
    return asset


def _xlsx_texts(data: bytes) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(BytesIO(data))
    return [
        c.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]


def test_export_survives_stored_control_characters(client, users, login):
    _store_dirty_asset()
    login(users["petugas"])
    resp = client.get("/aset/ekspor?region=35.11")
    assert resp.status_code == 200
    assert "X[31m <b>&" in _xlsx_texts(resp.data)


def test_hearing_packet_survives_stored_control_characters(app, client, users, login):
    from pypdf import PdfReader

    from assets_app.hearing.models import HearingReport

    _no_csrf(app)
    _store_dirty_asset()
    login(users["admin_kab"])
    resp = client.post(
        "/laporan/rdp/baru", data={"region": "35.11", "start": "2026-01-01", "end": "2026-12-31"}
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    report = db.session.scalars(sa.select(HearingReport).order_by(HearingReport.id.desc())).first()
    pdf = client.get(f"/laporan/rdp/{report.id}/pdf")
    xlsx = client.get(f"/laporan/rdp/{report.id}/xlsx")
    assert pdf.status_code == 200 and xlsx.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)
    assert "X[31m <b>&" in text.replace("\n", " ")
    assert any("X[31m <b>&" in t for t in _xlsx_texts(xlsx.data))


def test_pdf_paragraph_of_stored_text_renders():
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from reports._format import escape

    out = BytesIO()
    doc = SimpleDocTemplate(out)
    doc.build([Paragraph(escape("Nama: " + DIRTY + "\x00\udcff"))])
    assert out.getvalue().startswith(b"%PDF")


# --- 5. integers in paths and parameters -----------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/assets/{BIG}",
        f"/api/v1/assets/{HUGE}",
        f"/api/v1/tickets/{BIG}",
        f"/api/v1/trainings/{BIG}",
        "/api/v1/regions/35.11%00",
        "/api/v1/regions/%ED%B3%BF",
    ],
)
def test_api_path_ids_past_32_bits_are_404(client, users, api_token, path):
    resp = client.get(path, headers=api_token(users["admin"]))
    assert resp.status_code == 404


@pytest.mark.parametrize(
    "path", [f"/aset/{BIG}", f"/aset/{HUGE}", f"/tiket/{BIG}", "/wilayah/35.11%00", "/wilayah/%01"]
)
def test_web_path_ids_past_32_bits_are_404(client, users, login, path):
    login(users["admin"])
    assert client.get(path).status_code == 404


API_LISTS = [
    "/api/v1/assets",
    "/api/v1/tickets",
    "/api/v1/trainings",
    "/api/v1/operators",
    "/api/v1/regions",
    "/api/v1/blanko/movements",
    "/api/v1/usage",
    "/api/v1/coverage",
    "/api/v1/training-gaps",
]
WEB_LISTS = ["/aset/", "/tiket/", "/pelatihan/", "/surat/", "/blanko/mutasi", "/admin/audit/"]
HOSTILE_QUERIES = [
    f"page={HUGE}",
    f"per_page={HUGE}",
    "page=-1&per_page=0",
    f"asset_id={BIG}&operator_id={BIG}&request_id={HUGE}&in_reply_to_id={BIG}&id={BIG}",
    "q=a%00b&region=a%00b&status=%01",
    "q=%ED%B3%BF",  # the UTF-8 bytes of a lone surrogate
    "dari=0001-01-01&sampai=9999-12-31&from=0001-01-01&to=9999-12-31&day=0001-01-01",
    "bulan=0001-01&hari=99999999999&year=99999999999",
    "bulan=9999-12&sampai=9999-12&dari=9999-12-31&day=9999-12-31&hari=36500",
    "region=99.99&region=35.11",
]


def _get_routes(app, prefix_api: bool):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or rule.arguments:
            continue
        if rule.rule.startswith("/api/") != prefix_api or rule.rule.startswith("/static"):
            continue
        yield rule.rule


def test_no_page_answers_500_to_hostile_parameters(app, client, users, login):
    login(users["admin_kab"])
    failures = []
    for path in _get_routes(app, prefix_api=False):
        for query in HOSTILE_QUERIES:
            status = client.get(f"{path}?{query}").status_code
            if status >= 500:
                failures.append((path, query, status))
    assert failures == [], "\n".join(map(str, failures))


def test_no_api_list_answers_500_to_hostile_parameters(app, client, users, api_token):
    h = api_token(users["admin_kab"])
    failures = []
    for path in _get_routes(app, prefix_api=True):
        for query in HOSTILE_QUERIES:
            resp = client.get(f"{path}?{query}", headers=h)
            if resp.status_code >= 500 or (resp.status_code >= 400 and "errors" not in resp.json):
                failures.append((path, query, resp.status_code))
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize("value", [HUGE, BIG, "9" * 5000])
def test_api_lists_refuse_huge_pages(client, users, api_token, path, value):
    resp = client.get(f"{path}?page={value}", headers=api_token(users["admin"]))
    assert resp.status_code == 400
    assert "page" in resp.json["errors"]


@pytest.mark.parametrize("path", WEB_LISTS)
def test_web_lists_refuse_huge_pages(client, users, login, path):
    login(users["admin"])
    resp = client.get(f"{path}?page={HUGE}")
    assert resp.status_code == 400
    assert "Parameter &#39;page&#39; di luar rentang" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/tiket/baru?asset_id={BIG}",
        f"/blanko/mutasi/baru?kind=penerimaan&request_id={HUGE}",
        f"/api/v1/tickets?asset_id={BIG}",
        f"/api/v1/trainings?operator_id={HUGE}",
    ],
)
def test_id_parameters_out_of_range_are_400(client, users, login, api_token, path):
    login(users["admin_kab"])
    resp = client.get(path, headers=api_token(users["admin_kab"]) if "/api/" in path else {})
    assert resp.status_code == 400


@pytest.mark.parametrize("value", [int(BIG), int(HUGE), -int(HUGE)])
def test_api_body_ids_out_of_range_are_refused(client, users, api_token, value):
    h = api_token(users["petugas"])
    body = {"region_code": "35.11.05", "asset_id": value, "title": "Printer macet"}
    body |= {"category": "perangkat_keras", "urgency": "sedang", "impact": "sedang"}
    resp = client.post("/api/v1/tickets", json={**body, "description": "x"}, headers=h)
    assert resp.status_code == 422
    assert "rentang" in resp.json["errors"]["asset_id"][0]


# --- 5. JSON bodies --------------------------------------------------------------------


def _json_write_routes(app):
    """Every API route that takes a JSON body (POST/PATCH/PUT), with its ids filled with 1."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PATCH", "PUT"}):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "1")
            out.append((method, path))
    return out


def test_deep_and_large_json_bodies_are_400_on_every_write_route(app, client, users, api_token):
    h = api_token(users["admin"])
    routes = _json_write_routes(app)
    assert len(routes) >= 14
    deep = "[" * 100_000
    for method, path in routes:
        for body in (deep, '{"a":' * 50 + "1" + "}" * 50, '"' + "x" * (1024 * 1024 + 10) + '"'):
            resp = client.open(
                path, method=method, data=body, content_type="application/json", headers=h
            )
            assert resp.status_code == 400, (method, path, resp.status_code, resp.json)
            assert "_body" in resp.json["errors"], (method, path, resp.json)
    too_big = client.post("/api/v1/assets", data=body, content_type="application/json", headers=h)
    assert too_big.json["errors"]["_body"] == ["Badan permintaan terlalu besar (maksimal 1 MB)."]


def test_json_limits_come_from_the_config(app, client, users, api_token):
    h = api_token(users["petugas"])
    body = _json_body(notes="x" * 2000)
    app.config.update(API_JSON_MAX_BYTES=1000)
    try:
        resp = client.post("/api/v1/assets", json=body, headers=h)
        assert resp.status_code == 400
        assert resp.json["errors"]["_body"] == [
            "Badan permintaan terlalu besar (maksimal 1000 bita)."
        ]
    finally:
        app.config.update(API_JSON_MAX_BYTES=1024 * 1024)
    assert client.post("/api/v1/assets", json=body, headers=h).status_code == 201
    nested = {"name": "PC", "notes": [[["x"]]]}
    app.config.update(API_JSON_MAX_DEPTH=3)
    try:
        resp = client.post("/api/v1/assets", json={**body, **nested}, headers=h)
        assert resp.status_code == 400 and "3 tingkat" in resp.json["errors"]["_body"][0]
    finally:
        app.config.update(API_JSON_MAX_DEPTH=32)


def test_lone_surrogate_in_any_json_text_is_400(app, client, users, api_token):
    h = api_token(users["admin"])
    for method, path in _json_write_routes(app):
        resp = client.open(
            path,
            method=method,
            data='{"name": "\\udcff", "title": "a\\u0000"}',
            content_type="application/json",
            headers=h,
        )
        assert resp.status_code == 400, (method, path, resp.status_code)
        assert "karakter kendali" in str(resp.json["errors"])


# --- 5. NUL and control characters in query strings ------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/tickets?q=a%00b", "/api/v1/assets?q=a%00b", "/api/v1/trainings?q=%01"]
)
def test_api_nul_in_query_is_400(client, users, api_token, path):
    resp = client.get(path, headers=api_token(users["admin"]))
    assert resp.status_code == 400
    assert "q" in resp.json["errors"]


@pytest.mark.parametrize("path", ["/aset/?q=a%00b", "/tiket/?q=a%00b", "/surat/?q=a%00b"])
def test_web_nul_in_query_is_400(client, users, login, path):
    login(users["admin"])
    resp = client.get(path)
    assert resp.status_code == 400
    assert "karakter kendali" in resp.get_data(as_text=True)


def test_nul_in_login_form_is_400_not_500(app, client, users):
    _no_csrf(app)
    resp = client.post("/masuk", data={"username": "a\x00b", "password": "x"})
    assert resp.status_code == 400


# --- 10. dates in a sane window --------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1944-12-31", "2101-01-01"])
def test_api_dates_outside_the_window_are_refused(client, users, api_token, value):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/assets", json=_json_body(bast_date=value), headers=h)
    assert resp.status_code == 422
    assert "rentang" in resp.json["errors"]["bast_date"][0]


@pytest.mark.parametrize(
    "query", ["from=0001-01-01&to=0001-01-01", "from=2026-01-01&to=9999-12-31"]
)
def test_report_period_outside_the_window_is_400(client, users, api_token, query):
    resp = client.get(f"/api/v1/reports/summary?{query}", headers=api_token(users["admin"]))
    assert resp.status_code in (400, 422)
    assert "rentang" in str(resp.json["errors"])


def test_web_summary_with_ancient_date_says_so(client, users, login):
    login(users["admin"])
    resp = client.get("/laporan/ringkasan?dari=0001-01-01")
    assert resp.status_code in (200, 400)
    assert "rentang" in resp.get_data(as_text=True)


def test_parse_date_window():
    from datetime import date

    from assets_app.common.validate import Invalid, parse_date, parse_datetime_wib

    assert parse_date("1945-01-01") == date(1945, 1, 1)
    assert parse_date("31/12/2100") == date(2100, 12, 31)
    for bad in ("0001-01-01", "9999-12-31", date(1900, 1, 1)):
        with pytest.raises(Invalid, match="rentang"):
            parse_date(bad)
    with pytest.raises(Invalid, match="rentang"):
        parse_datetime_wib("9999-12-31T10:00")


# --- 10. exports of a region outside the user's scope ----------------------------------


def test_export_of_region_outside_scope_is_404(client, users, login):
    make_asset()
    login(users["petugas_serang"])
    resp = client.get("/aset/ekspor?region=35.11")
    assert resp.status_code == 404
    assert b"Bondowoso" not in resp.data


@pytest.mark.parametrize("path", ["/aset/?region=35.11", "/aset/ekspor?region=35.11"])
def test_camat_asking_for_his_kabupaten_gets_404(client, users, login, path):
    make_asset()
    login(users["camat"])
    assert client.get(path).status_code == 404


# --- the safe types cannot be forgotten ------------------------------------------------


def _app_schemas():
    from marshmallow import class_registry

    seen = set()
    for classes in class_registry._registry.values():
        for cls in classes:
            if cls.__module__.startswith("assets_app.") and cls not in seen:
                seen.add(cls)
                yield cls


def _leaf_fields(field):
    import marshmallow as ma

    if isinstance(field, ma.fields.List):
        yield from _leaf_fields(field.inner)
    elif isinstance(field, ma.fields.Tuple):
        for inner in field.tuple_fields:
            yield from _leaf_fields(inner)
    else:
        yield field


def test_every_api_schema_uses_the_bounded_field_types(app):
    import marshmallow as ma

    from assets_app.api.schemas import Day, Int, Moment

    schemas = list(_app_schemas())
    assert len(schemas) > 30
    wrong = []
    for cls in schemas:
        for name, declared in cls._declared_fields.items():
            for field in _leaf_fields(declared):
                if isinstance(field, ma.fields.Integer) and not isinstance(field, Int):
                    wrong.append((cls.__name__, name, "Int"))
                if isinstance(field, ma.fields.Date) and not isinstance(field, Day):
                    wrong.append((cls.__name__, name, "Day"))
                naive = isinstance(field, ma.fields.DateTime) and not isinstance(field, Moment)
                if naive and not field.dump_only and cls.__name__.endswith(("In", "Args")):
                    wrong.append((cls.__name__, name, "Moment"))
    assert wrong == [], wrong


def test_every_api_blueprint_parses_with_the_checked_parser(app):
    from assets_app.api.base import Blueprint, _Parser

    api_blueprints = [bp for name, bp in app.blueprints.items() if name.startswith("api_")]
    assert len(api_blueprints) >= 10
    for bp in api_blueprints:
        assert isinstance(bp, Blueprint), bp.name
        assert isinstance(bp.ARGUMENTS_PARSER, _Parser), bp.name


@pytest.mark.parametrize("letter_date", ["0001-01-01", "1944-12-31"])
def test_letter_service_checks_dates_and_control_characters(users, letter_date):
    from assets_app.common.errors import ValidationFailed
    from assets_app.letters import services as letters

    with pytest.raises(ValidationFailed) as err:
        letters.compose_letter(
            by=users["petugas"],
            region_code="35.11.05",
            direction="keluar",
            recipient="Kepala Dinas\x1b[31m",
            perihal="Perbaikan",
            body="Isi surat",
            letter_date=letter_date,
        )
    errors = err.value.errors
    assert errors["letter_date"] == [
        "Tanggal di luar rentang yang diizinkan (01/01/1945–31/12/2100)."
    ]
    assert errors["recipient"] == ["Berisi karakter kendali yang tidak diizinkan (U+001B)."]


def test_json_check_names_the_nested_field(app, client, users, api_token):
    body = {"title": "Pelatihan", "topics": ["perekaman", "x\u0007"], "starts_on": "2026-01-05"}
    resp = client.post("/api/v1/trainings", json=body, headers=api_token(users["admin_kab"]))
    assert resp.status_code == 400
    assert resp.json["errors"] == {
        "topics.1": ["Isian 'topics.1' berisi karakter kendali yang tidak diizinkan (U+0007)."]
    }


def test_nul_or_huge_id_in_any_form_post_is_400(app, client, users, login):
    login(users["admin_kab"])
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.rule.startswith("/api/"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "1")
        routes.append(path)
    assert len(routes) > 40
    failures = []
    for path in routes:
        for data in ({"name": "a\x00b"}, {"asset_id": HUGE}):
            status = client.post(path, data=data).status_code
            if status != 400:
                failures.append((path, data, status))
    assert failures == [], failures

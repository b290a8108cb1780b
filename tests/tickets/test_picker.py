"""Issue 14, defect 1: the asset picker on /tiket/baru (grouped by kecamatan, pre-selected
from ?asset_id=, scoped, bounded queries) and "pindahkan status aset ke gangguan"."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from assets_app.assets.models import Asset, StatusEvent
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.tickets.models import Ticket, TicketEvent
from tests.querycount import count_queries
from tests.tickets.helpers import make_asset


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _bulk_assets(codes: list[str], per_region: int, tag: str) -> None:
    """Many assets at once (test data: the ORM path is not what is measured here)."""
    rows = []
    for code in codes:
        for i in range(per_region):
            n = len(rows) + 1
            rows.append(
                {
                    "region_code": code,
                    "kode_barang": "1.3.2.10.02.04.001",
                    "register_no": f"{i + 1:04d}",
                    "name": f"Alat Sidik Jari {i + 1}",
                    "category": "sidik_jari",
                    "brand_model": "Secugen Hamster",
                    "serial_number": f"{tag}-{n:06d}",
                    "acquired_on": date(2022, 3, 1),
                    "funding_source": "APBD",
                    "acquisition_method": "pembelian",
                    "unit_price": 3_000_000,
                    "vendor": "PT Sinar Data",
                    "label_token": f"{tag}{n:08d}",
                    "status": "operasional",
                }
            )
    db.session.execute(sa.insert(Asset), rows)
    db.session.commit()


def _options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="asset_id".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_camat_sees_own_devices_as_options_and_asset_id_preselects(client, login, users):
    mine = make_asset("35.11.05", name="Alat Sidik Jari", brand_model="Secugen")
    other = make_asset("35.11.06", name="Kamera Canon")
    login(users["camat"])
    html = client.get(f"/tiket/baru?asset_id={mine.id}").get_data(as_text=True)
    options = _options(html)
    assert ("", "— tidak terkait aset tertentu —") in options
    assert (str(mine.id), f"Alat Sidik Jari · Secugen · NUP {mine.register_no}") in options
    assert str(other.id) not in dict(options)  # out of scope: not offered
    assert "[(" not in html  # no Python text as a label
    assert re.search(rf'<option value="{mine.id}" selected>', html)
    assert re.search(r"<optgroup label=\"[^\"]*Pujer\" data-region=\"35.11.05\">", html), html[
        html.index('<select name="asset_id') :
    ][:400]
    # Another kecamatan's asset in ?asset_id= pre-selects nothing.
    html = client.get(f"/tiket/baru?asset_id={other.id}").get_data(as_text=True)
    assert " selected>" not in re.search(r'<select name="asset_id".*?</select>', html, re.S)[0]


def test_petugas_gets_one_group_per_kecamatan_and_asset_id_sets_the_kecamatan(client, login, users):
    a = make_asset("35.11.05", name="Printer")
    b = make_asset("35.11.06", name="Kamera")
    login(users["petugas"])
    html = client.get(f"/tiket/baru?asset_id={b.id}").get_data(as_text=True)
    groups = re.findall(r'<optgroup label="([^"]+)" data-region="([^"]+)">', html)
    assert [code for _, code in groups] == ["35.11.05", "35.11.06"]
    assert re.search(rf'<option value="{b.id}" selected>', html)
    assert re.search(r'<option selected value="35.11.06">', html)  # the kecamatan follows
    assert str(a.id) in dict(_options(html))


def test_filing_with_an_asset_and_gangguan_moves_the_asset(client, login, users, no_csrf):
    asset = make_asset("35.11.05", name="Alat Sidik Jari")
    login(users["camat"])
    resp = client.post(
        "/tiket/baru",
        data={
            "region_code": "35.11.05",
            "asset_id": str(asset.id),
            "mark_asset_down": "y",
            "category": "perangkat",
            "urgency": "tinggi",
            "impact": "sedang",
            "title": "Sidik jari tidak terbaca",
            "description": "Sensor tidak merespons.",
            "idempotency_key": "picker-1",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    ticket = db.session.scalars(sa.select(Ticket)).one()
    assert ticket.asset_id == asset.id
    db.session.expire_all()
    assert db.session.get(Asset, asset.id).status == "gangguan"
    event = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == asset.id)).one()
    assert (event.cause, event.responsible_party) == ("perangkat_keras", "disdukcapil")
    assert ticket.number in event.note
    first = db.session.scalars(sa.select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))
    assert "Status aset Alat Sidik Jari menjadi Gangguan." in first.first().note


def test_filing_with_an_asset_without_the_checkbox_leaves_its_status(client, login, users, no_csrf):
    asset = make_asset("35.11.05")
    login(users["camat"])
    data = {
        "region_code": "35.11.05", "asset_id": str(asset.id), "category": "jaringan",
        "urgency": "rendah", "impact": "rendah", "title": "Lambat", "description": "Lambat.",
        "idempotency_key": "picker-2",
    }  # fmt: skip
    assert client.post("/tiket/baru", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Asset, asset.id).status == "operasional"
    assert db.session.scalars(sa.select(Ticket)).one().asset_id == asset.id


def test_an_asset_of_another_kecamatan_is_refused_and_nothing_moves(client, login, users, no_csrf):
    asset = make_asset("35.11.06")
    login(users["petugas"])
    data = {
        "region_code": "35.11.05", "asset_id": str(asset.id), "mark_asset_down": "y",
        "category": "perangkat", "urgency": "tinggi", "impact": "tinggi", "title": "Mati",
        "description": "Mati total.", "idempotency_key": "picker-3",
    }  # fmt: skip
    resp = client.post("/tiket/baru", data=data)
    assert resp.status_code == 422
    assert "Aset harus milik kecamatan tiket ini." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Asset, asset.id).status == "operasional"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def _page_queries(client, path: str) -> tuple[int, str]:
    with count_queries(db.engine) as statements:
        resp = client.get(path)
    assert resp.status_code == 200
    return len(statements), resp.get_data(as_text=True)


def test_picker_query_count_is_flat_from_30_to_600_devices(client, login, users):
    kecamatan = list(
        db.session.scalars(
            sa.select(Region.code).where(Region.parent_code == "35.11").order_by(Region.code)
        )
    )
    _bulk_assets(["35.11.05"], 30, "a")
    login(users["camat"])
    camat_n, html = _page_queries(client, "/tiket/baru")
    assert len(_options(html)) == 31
    login(users["petugas"])
    few_n, _ = _page_queries(client, "/tiket/baru")
    per = -(-570 // (len(kecamatan) - 1))
    _bulk_assets([c for c in kecamatan if c != "35.11.05"], per, "b")
    many_n, html = _page_queries(client, "/tiket/baru")
    assert len(_options(html)) >= 601
    assert many_n == few_n, (few_n, many_n)  # no query per row or per kecamatan
    assert camat_n <= 12 and many_n <= 12, (camat_n, many_n)


def test_asset_page_offers_laporkan_masalah_and_links_its_ticket(client, login, users, no_csrf):
    asset = make_asset("35.11.05", name="Alat Sidik Jari")
    login(users["camat"])
    page = client.get(f"/aset/{asset.id}").get_data(as_text=True)
    assert f'href="/tiket/baru?asset_id={asset.id}"' in page and "Laporkan masalah" in page
    data = {
        "region_code": "35.11.05", "asset_id": str(asset.id), "mark_asset_down": "y",
        "category": "perangkat", "urgency": "tinggi", "impact": "tinggi", "title": "Mati",
        "description": "Mati total.", "idempotency_key": "picker-link",
    }  # fmt: skip
    assert client.post("/tiket/baru", data=data).status_code == 302
    ticket = db.session.scalars(sa.select(Ticket)).one()
    page = client.get(f"/aset/{asset.id}").get_data(as_text=True)
    link = f'<a href="/tiket/nomor/{ticket.number}">{ticket.number}</a>'
    assert link in page  # the asset's history links the ticket
    resp = client.get(f"/tiket/nomor/{ticket.number}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/tiket/{ticket.id}")
    login(users["dprd"])  # may not file: no button
    assert "Laporkan masalah" not in client.get(f"/aset/{asset.id}").get_data(as_text=True)


def test_api_files_with_mark_asset_down(client, users, api_token):
    asset = make_asset("35.11.05")
    body = {
        "region_code": "35.11.05", "asset_id": asset.id, "mark_asset_down": True,
        "category": "jaringan", "urgency": "sedang", "impact": "sedang",
        "title": "VPN putus", "description": "Tidak tersambung ke pusat.",
    }  # fmt: skip
    r = client.post("/api/v1/tickets", json=body, headers=api_token(users["camat"]))
    assert r.status_code == 201, r.get_json()
    db.session.expire_all()
    moved = db.session.get(Asset, asset.id)
    assert moved.status == "gangguan"
    event = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == asset.id)).one()
    assert event.cause == "jaringan"

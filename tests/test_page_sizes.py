"""Issue 19: pages stay light at any scope. With every province, kab/kota and kecamatan of the
bundled Kemendagri list loaded (7,800 regions), the whole-installation admin and a province
user get every main page in at most 150 KB: the summaries aggregate one level up, lists
paginate, and region pickers offer a bounded number of options."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.services import bundled_rows
from tests.factories import make_user
from tests.hearing.helpers import make_asset

LIMIT = 150 * 1024

PAGES = (
    "/beranda",
    "/perlu-tindakan",
    "/laporan/ringkasan",
    "/laporan/kabkota",
    "/laporan/rekap-harian",
    "/laporan/rdp",
    "/aset/",
    "/aset/menganggur",
    "/aset/belum-melapor",
    "/pemakaian/",
    "/cakupan/",
    "/inventarisasi/",
    "/pelatihan/",
    "/pelatihan/operator",
    "/pelatihan/kesenjangan",
    "/blanko/",
    "/blanko/peringatan",
    "/blanko/mutasi",
    "/wilayah/",
    "/wilayah/35",
    "/wilayah/35.11",
    "/tiket/",
    "/tiket/terlambat",
    "/tiket/per-kecamatan",
    "/tiket/per-pihak",
    "/surat/",
)

# a few kecamatan across the country, each with assets of its own (one idle)
SPREAD = ("11.01.01", "35.11.05", "35.78.01", "51.71.01", "94.71.01", "36.73.01")


def _load_national() -> None:
    have = set(db.session.scalars(sa.select(Region.code)))
    rows = [
        r
        for r in bundled_rows()
        if r[2] in ("provinsi", "kabkota", "kecamatan") and r[0] not in have
    ]
    rows.sort(key=lambda r: (r[0].count("."), r[0]))
    new = [
        {"code": c, "name": n, "level": lv, "parent_code": p, "kind": k} for c, n, lv, p, k in rows
    ]
    for i in range(0, len(new), 2000):
        db.session.execute(sa.insert(Region), new[i : i + 2000])
    spread = [c for c in SPREAD if db.session.get(Region, c) is not None]
    db.session.commit()
    for i, code in enumerate(spread):
        make_asset(code, price=5_000_000 + i)
        make_asset(code, status="tidak_digunakan", price=3_000_000)


def _sizes(client) -> dict[str, tuple[int, int]]:
    out = {}
    for url in PAGES:
        resp = client.get(url)
        out[url] = (resp.status_code, len(resp.data))
    return out


@pytest.mark.parametrize("who", ["admin", "province"])
def test_every_main_page_is_small_at_national_scale(users, login, who):
    _load_national()
    user = users["admin"] if who == "admin" else make_user("kadis", "35", username="kadis.jatim")
    client = login(user)
    sizes = _sizes(client)
    bad = {u: s for u, s in sizes.items() if s[0] != 200 or s[1] > LIMIT}
    assert not bad, f"status or size over {LIMIT} bytes: {bad}"


def test_the_national_summary_shows_kabkota_rows_and_drills_down(users, login):
    _load_national()
    client = login(users["admin"])
    html = client.get("/laporan/ringkasan").get_data(as_text=True)
    rows = re.findall(r'<tr data-region="([\d.]+)"', html)
    # kab/kota rows only (two dots would be a kecamatan), each linking to that kab/kota
    assert rows and all(code.count(".") == 1 for code in rows)
    assert len(rows) == 50 and 'href="/laporan/ringkasan?region=11.01' in html
    assert "page=2" in html  # the other kab/kota are on the next pages
    idle = client.get("/laporan/ringkasan?tampil=menganggur").get_data(as_text=True)
    assert 'href="/laporan/ringkasan?region=35.11' in idle
    kab = client.get("/laporan/ringkasan?region=35.11").get_data(as_text=True)
    kec = re.findall(r'<tr data-region="([\d.]+)"', kab)
    assert "35.11.05" in kec and all(c.startswith("35.11.") or c == "35.11" for c in kec)


def _options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="region".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([\d.]*)"', select)


def test_region_picker_narrows_down_along_the_chosen_path(users, login):
    _load_national()
    client = login(users["admin"])
    top = _options(client.get("/aset/").get_data(as_text=True))
    assert "35" in top and len(top) < 60  # the provinces (and the blank option)
    assert all(c.count(".") == 0 for c in top if c)
    prov = _options(client.get("/aset/?region=35").get_data(as_text=True))
    assert "35.11" in prov and "35.11.05" not in prov and "11" in prov
    kab = _options(client.get("/aset/?region=35.11").get_data(as_text=True))
    assert {"35", "35.11", "35.11.05"} <= set(kab) and "35.12.01" not in kab
    # out of scope stays a 404, and a kab/kota user still gets their whole kab/kota
    kab_user = login(make_user("petugas", "35.11", username="petugas.bondowoso2"))
    assert kab_user.get("/aset/?region=36.73").status_code == 404
    own = _options(kab_user.get("/aset/").get_data(as_text=True))
    assert "35.11.05" in own and "35.12" not in own


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def test_a_form_narrows_down_too_and_keeps_the_region_of_what_it_edits(users, login, nocsrf):
    from tests.assets.test_views import form

    _load_national()
    client = login(users["admin"])
    # a province is only a step: saving refuses it by name and offers its kab/kota
    html = client.post("/aset/baru", data=form(region_code="35")).get_data(as_text=True)
    assert "Wilayah 35 harus setingkat" in html and 'value="35.11"' in html
    assert 'value="35.11.05"' not in html
    ok = client.post("/aset/baru", data=form(region_code="35.11.05"))
    assert ok.status_code == 302
    # editing offers the asset's own kecamatan, selected
    edit = client.get(ok.headers["Location"].rstrip("/") + "/ubah").get_data(as_text=True)
    option = re.search(r'<option[^>]*value="35\.11\.05"[^>]*>', edit)
    assert option and "selected" in option.group(0)

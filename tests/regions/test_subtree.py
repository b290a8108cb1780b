"""Subtree filters are index ranges: right for the code alphabet, and served by an index."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from assets_app.assets import queries
from assets_app.assets.importer import insert_assets_bulk
from assets_app.assets.models import Asset
from assets_app.extensions import db as _db
from assets_app.regions.models import Region
from assets_app.regions.scope import ancestors, code_in_subtree, subtree_clause

CODES = (
    "3", "35", "35.1", "35.10", "35.11", "35.110", "35.11.05", "35.11.05.2001", "35.11.5",
    "35.12", "35.12.01", "35.2", "36", "36.73.05",
)  # fmt: skip


def _matches(db, root: str) -> set[str]:
    """The codes of CODES the SQL clause selects, evaluated by the database itself."""
    codes = sa.union_all(*(sa.select(sa.literal(c, sa.String).label("code")) for c in CODES))
    col = codes.subquery("codes").c.code
    return set(db.session.scalars(sa.select(col).where(subtree_clause(col, root))))


@pytest.mark.parametrize("root", ["35", "35.1", "35.11", "35.11.05", "36", "3"])
def test_range_form_selects_exactly_the_subtree(db, root):
    # '.' < '/' < '0' in both engines' collations, so ["35.11.", "35.11/") holds exactly the
    # codes below 35.11: "35.1" and "35.110" stay out, "35.11.05" and its desa are in.
    assert _matches(db, root) == {c for c in CODES if code_in_subtree(c, root)}


def test_range_form_examples(db):
    assert "35.1" not in _matches(db, "35.11")
    assert "35.110" not in _matches(db, "35.11")
    assert {"35.11", "35.11.05", "35.11.05.2001", "35.11.5"} <= _matches(db, "35.11")
    assert "35.11" not in _matches(db, "35.1")
    assert _matches(db, "35.12") == {"35.12", "35.12.01"}


def test_subtree_clause_uses_no_like():
    sql = str(subtree_clause(Asset.region_code, "35.11").compile())
    assert "LIKE" not in sql.upper()


def test_ancestors():
    assert ancestors("35.11.05.2001") == ["35", "35.11", "35.11.05"]
    assert ancestors("35") == []


def test_every_scoped_region_column_has_an_index():
    """A scope filter on `region_code` (or a blanko ledger's from/to region) is a range on
    that column: each such column leads some index (or the primary key / a unique one)."""
    missing = []
    for table in _db.metadata.sorted_tables:
        for name in ("region_code", "from_region", "to_region"):
            if name not in table.c:
                continue
            leads = [list(ix.columns)[0].name for ix in table.indexes]
            leads += [
                list(c.columns)[0].name
                for c in table.constraints
                if isinstance(c, sa.PrimaryKeyConstraint | sa.UniqueConstraint) and c.columns
            ]
            if name not in leads:
                missing.append(f"{table.name}.{name}")
    assert missing == []


def _load_assets(db, users):
    """3,000 assets: most in Kota Serang, 60 in Bondowoso, so a Bondowoso filter is selective."""
    serang = list(
        db.session.scalars(
            sa.select(Region.code).where(Region.level == "kecamatan", Region.parent_code == "36.73")
        )
    )
    rows = []
    for i in range(3000):
        code = "35.11.05" if i % 50 == 0 else serang[i % len(serang)]
        rows.append(
            {
                "region_code": code,
                "kode_barang": "1.3.2.10.01.02.001",
                "register_no": f"{i:05d}",
                "name": "PC Unit",
                "category": "perekaman",
                "acquired_on": date(2020, 1, 1),
                "funding_source": "APBD",
                "acquisition_method": "pembelian",
                "unit_price": 1_000_000,
                "condition": "B",
            }
        )
    insert_assets_bulk(rows, users["admin"])
    db.session.commit()
    # Statistics and the plans read in one transaction, so on one connection: a pooled SQLite
    # connection keeps the statistics it loaded until it reloads its schema, and an earlier
    # test's ANALYZE (other data) would otherwise decide the plan.
    db.session.execute(sa.text("ANALYZE"))


def _plan(db, stmt) -> str:
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)).all()
        return "\n".join(str(r[-1]) for r in rows)
    return "\n".join(r[0] for r in db.session.execute(sa.text("EXPLAIN " + sql)))


def test_kabupaten_asset_list_uses_the_region_code_index(db, users):
    _load_assets(db, users)
    petugas = users["petugas"]  # Bondowoso (35.11)
    f = queries.AssetFilter()
    stmts = {
        "count": queries.apply_filter(sa.select(sa.func.count(Asset.id)), petugas, f),
        "page": queries.apply_filter(sa.select(Asset), petugas, f)
        .order_by(Asset.kode_barang, Asset.register_no, Asset.id)
        .limit(25),
    }
    # either index led by region_code serves the range (the count may read the covering one)
    by_region = ("ix_assets_region_code", "ix_assets_region_category_status")
    for name, stmt in stmts.items():
        plan = _plan(db, stmt)
        if db.engine.dialect.name == "sqlite":
            assert any(ix in plan for ix in by_region) and "USING" in plan, (name, plan)
            assert "SCAN assets" not in plan.replace("USING", "\nUSING"), (name, plan)
        else:
            assert any(ix in plan for ix in by_region), (name, plan)
            assert "Index Cond" in plan or "Bitmap Index Scan" in plan, (name, plan)
            assert "Seq Scan on assets" not in plan, (name, plan)
    page, _ = queries.list_assets(petugas, f)
    assert page.total == 60

"""`common.built`: statements kept per app, by key."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from assets_app.assets import idle
from assets_app.common import built as kept


def test_a_key_is_built_once_and_the_oldest_keys_go_first(app, monkeypatch):
    app.extensions.pop("built_statements", None)
    monkeypatch.setattr(kept, "MAX_ENTRIES", 3)
    calls = []

    def build(n):
        calls.append(n)
        return object()

    first = kept.built(("t", 1), lambda: build(1))
    assert kept.built(("t", 1), lambda: build(99)) is first and calls == [1]
    for n in (2, 3):
        kept.built(("t", n), lambda n=n: build(n))
    kept.built(("t", 1), lambda: build(99))  # used again: now the newest
    kept.built(("t", 4), lambda: build(4))  # the oldest, ("t", 2), goes
    assert list(app.extensions["built_statements"]) == [("t", 3), ("t", 1), ("t", 4)]
    assert kept.built(("t", 2), lambda: build(2)) is not first and calls == [1, 2, 3, 4, 2]


def test_idle_statements_are_kept_per_user_region_window_and_day(app, users):
    """The idle page's statements are built once for the same user, region, window and day,
    again for another of any of them, and never kept for an instant in the past."""
    app.extensions.pop("built_statements", None)
    petugas, kadis = users["petugas"], users["kadis"]
    day = date(2026, 12, 1)
    stmt = idle.idle_stmt(petugas, None, 30, day)
    assert idle.idle_stmt(petugas, None, 30, day) is stmt
    others = [
        idle.idle_stmt(kadis, None, 30, day),
        idle.idle_stmt(petugas, "35.11.05", 30, day),
        idle.idle_stmt(petugas, None, 60, day),
        idle.idle_stmt(petugas, None, 30, day + timedelta(days=1)),
    ]
    assert all(other is not stmt for other in others)
    assert len({id(o) for o in others}) == len(others)
    past = datetime(2026, 11, 1, tzinfo=UTC)
    assert idle.idle_stmt(petugas, None, 30, day, at=past) is not idle.idle_stmt(
        petugas, None, 30, day, at=past
    )


def test_inlined_constants_give_the_same_rows_with_only_the_kept_binds_left(db, regions):
    """Codes, words and numbers written into the SQL (quotes and percent signs included);
    the kept bind, dates and lists stay parameters."""
    import sqlalchemy as sa

    from assets_app.regions.models import Region

    since = sa.bindparam("since", type_=sa.Date)
    stmt = sa.select(
        sa.func.count(Region.code),
        sa.func.coalesce(sa.func.sum(sa.case((Region.level == "kecamatan", 1), else_=0)), 0),
        sa.func.count(sa.case((Region.name.like("%o'%"), 1))),
        sa.func.count(sa.case((sa.literal(date(2026, 1, 1)) >= since, 1))),
    ).where(
        Region.code >= "35.11",
        Region.code < "35.11/",
        Region.level.in_(["kecamatan", "kabkota"]),
        Region.name != "it's 100%",
    )
    inlined = kept.inline_constants(stmt, db.engine.dialect, keep=("since",))
    args = {"since": date(2025, 12, 31)}
    assert db.session.execute(inlined, args).one() == db.session.execute(stmt, args).one()
    assert db.session.execute(stmt, args).one()[0] > 1
    compiled = inlined.compile(db.engine)
    left = {k for k in compiled.params if not k.startswith("level")}
    assert left == {"since", "param_1"}  # the kept bind and the date
    assert "'35.11/'" in str(compiled) and "'it''s 100%" in str(compiled).replace("%%", "%")

"""Migration 0008 keeps the settings an installation already has as its defaults."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from tests.migrations import flask_db, scratch_database


def _dated(sql: str):
    return sa.text(sql).bindparams(sa.bindparam("d", type_=sa.Date))


def test_0008_keeps_existing_settings_as_installation_defaults(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0006")
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO sla_targets VALUES ('kritis', 3, 1), ('rendah', 30, 25)")
            )
            conn.execute(
                sa.text(
                    "INSERT INTO sla_settings (id, mode, day_start, day_end, workdays) "
                    "VALUES (1, 'kalender', :s, :e, '0,1,2,3,4,5')"
                ).bindparams(sa.bindparam("s", type_=sa.Time), sa.bindparam("e", type_=sa.Time)),
                {"s": time(8, 0), "e": time(15, 0)},
            )
            conn.execute(
                _dated("INSERT INTO holidays (day, name) VALUES (:d, 'Natal')"),
                {"d": date(2026, 12, 25)},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO training_topic_validity (topic, months, updated_at) "
                    "VALUES ('server', 6, :t)"
                ),
                {"t": "2026-11-01 00:00:00"},
            )
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            targets = conn.execute(
                sa.text("SELECT region_code, priority, accept_hours FROM sla_targets ORDER BY 2")
            ).all()
            assert [tuple(r) for r in targets] == [(None, "kritis", 3), (None, "rendah", 30)]
            cal = conn.execute(sa.text("SELECT region_code, mode FROM sla_settings")).all()
            assert [tuple(r) for r in cal] == [(None, "kalender")]
            hol = conn.execute(sa.text("SELECT region_code, name FROM holidays")).all()
            assert [tuple(r) for r in hol] == [(None, "Natal")]
            val = conn.execute(
                sa.text("SELECT region_code, topic, months FROM training_topic_validity")
            ).all()
            assert [tuple(r) for r in val] == [(None, "server", 6)]
        # New rows get their own id after the rebuilt tables (PostgreSQL sequences too); the
        # default calendar was always written as id 1, a kab/kota's own does not collide.
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO regions (code, name, level) "
                    "VALUES ('35', 'Jawa Timur', 'provinsi')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO regions (code, name, level, parent_code) "
                    "VALUES ('35.11', 'Kabupaten Bondowoso', 'kabkota', '35')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO sla_settings (region_code, mode, day_start, day_end, workdays) "
                    "VALUES ('35.11', 'kerja', :s, :e, '0,1,2,3,4')"
                ).bindparams(sa.bindparam("s", type_=sa.Time), sa.bindparam("e", type_=sa.Time)),
                {"s": time(7, 30), "e": time(16, 0)},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO sla_targets (region_code, priority, accept_hours, resolve_days) "
                    "VALUES (NULL, 'sedang', 10, 5)"
                )
            )
            conn.execute(
                _dated("INSERT INTO holidays (day, name) VALUES (:d, 'Tahun Baru')"),
                {"d": date(2027, 1, 1)},
            )
        flask_db(env, "downgrade", "0006")
        with engine.connect() as conn:
            prios = conn.execute(sa.text("SELECT priority FROM sla_targets ORDER BY 1")).scalars()
            assert list(prios) == ["kritis", "rendah", "sedang"]
            assert conn.execute(sa.text("SELECT count(*) FROM holidays")).scalar() == 2
            # A kab/kota's own calendar does not survive a downgrade; the default does.
            cal = conn.execute(sa.text("SELECT id, mode FROM sla_settings")).all()
            assert [tuple(r) for r in cal] == [(1, "kalender")]

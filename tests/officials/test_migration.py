"""Migration 0011 turns each saved letter-settings signer into an official signing every kind."""

from __future__ import annotations

import sqlalchemy as sa

from tests.migrations import flask_db, scratch_database


def test_0011_moves_the_letter_signer_into_an_official(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0015")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO regions (code, name, level, kind) "
                    "VALUES ('35.11', 'Kabupaten Bondowoso', 'kabkota', 'kabupaten')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO letter_settings (region_code, pemerintah, dinas, address, phone, "
                    "email, website, city, number_pattern, unit_code, number_width, signer_name, "
                    "signer_nip, signer_rank, signer_position, created_at, updated_at) VALUES "
                    "('35.11', 'PEMERINTAH KABUPATEN BONDOWOSO', 'DINAS', 'Jl. A', '', '', '', "
                    "'Bondowoso', '{nomor}', 'D', 4, 'Drs. Bambang', '197001011990031001', "
                    "'Pembina (IV/a)', 'Kepala Dinas', :t, :t)"
                ),
                {"t": "2026-11-01 00:00:00"},
            )
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT region_code, name, nip, rank, position, signs FROM officials")
            ).all()
        assert len(rows) == 1
        code, who, nip, rank, position, signs = rows[0]
        assert (code, who, nip, rank, position) == (
            "35.11", "Drs. Bambang", "197001011990031001", "Pembina (IV/a)", "Kepala Dinas",
        )  # fmt: skip
        signs = signs if isinstance(signs, list) else __import__("json").loads(signs)
        assert signs == ["surat", "berita_acara", "opname", "sertifikat", "rdp", "kib"]
        flask_db(env, "downgrade", "0015")
        with engine.connect() as conn:
            assert "officials" not in sa.inspect(conn).get_table_names()

"""officials (pejabat) who sign documents, kop logo, signed-with snapshots

The signer saved in each kab/kota's letter settings becomes an official signing every kind
of document, so nothing typed there is lost.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 23:40:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import assets_app.db


revision = "0011"
down_revision = "0015"
branch_labels = None
depends_on = None

KINDS = ["surat", "berita_acara", "opname", "sertifikat", "rdp", "kib"]


def upgrade():
    officials = op.create_table(
        "officials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("rank", sa.String(length=80), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("sign_line", sa.String(length=200), nullable=True),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=True),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_officials_region_code_regions")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_officials_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officials")),
    )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_officials_region_code"), ["region_code"], unique=False)
    with op.batch_alter_table("letter_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_path", sa.String(length=200), nullable=True))
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signer_line", sa.String(length=200), nullable=True))
    with op.batch_alter_table("blanko_approvals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document", sa.JSON(), nullable=True))
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document", sa.JSON(), nullable=True))

    # data: the signer of each saved letter setting becomes an official signing everything
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT region_code, signer_name, signer_nip, signer_rank, signer_position "
            "FROM letter_settings WHERE signer_name <> ''"
        )
    ).fetchall()
    now = datetime.now(UTC)
    for r in rows:
        nip = "".join((r.signer_nip or "").split())[:18]
        conn.execute(
            officials.insert().values(
                region_code=r.region_code,
                name=r.signer_name,
                nip=nip,
                rank=r.signer_rank or "",
                position=r.signer_position,
                sign_line=None,
                signs=KINDS,
                created_at=now,
                updated_at=now,
            )
        )


def downgrade():
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.drop_column("document")
    with op.batch_alter_table("blanko_approvals", schema=None) as batch_op:
        batch_op.drop_column("document")
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_column("signer_line")
    with op.batch_alter_table("letter_settings", schema=None) as batch_op:
        batch_op.drop_column("logo_path")
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officials_region_code"))
    op.drop_table("officials")

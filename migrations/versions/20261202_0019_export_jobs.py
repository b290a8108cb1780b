"""export_jobs: big exports written in the background (issue 19)

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02 05:50:00

"""
from alembic import op
import sqlalchemy as sa

import assets_app.db


revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=13), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("file_path", sa.String(length=200), nullable=True),
        sa.Column("download_name", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=80), nullable=True),
        sa.Column("created_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.Column("started_at", assets_app.db.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", assets_app.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", assets_app.db.UTCDateTime(), nullable=True),
        sa.Column("expires_at", assets_app.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_export_jobs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_jobs_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_export_jobs_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_export_jobs_region_code"), ["region_code"], unique=False
        )


def downgrade():
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_jobs_region_code"))
        batch_op.drop_index(batch_op.f("ix_export_jobs_user_id"))
        batch_op.drop_index(batch_op.f("ix_export_jobs_status"))
    op.drop_table("export_jobs")

"""daily reports, suket count, public service board, idempotency keys for any subject

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import assets_app.db


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "daily_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("usage_day_id", sa.Integer(), nullable=True),
        sa.Column("blanko_used", sa.Integer(), nullable=False),
        sa.Column("blanko_damaged", sa.Integer(), nullable=False),
        sa.Column("devices_changed", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("created_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_daily_reports_created_by_id_users")),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_daily_reports_region_code_regions")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_daily_reports_updated_by_id_users")),
        sa.ForeignKeyConstraint(["usage_day_id"], ["usage_days.id"], name=op.f("fk_daily_reports_usage_day_id_usage_days")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_reports")),
        sa.UniqueConstraint("region_code", "day", name="uq_daily_reports_region_day"),
    )
    with op.batch_alter_table("daily_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_daily_reports_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_daily_reports_region_code"), ["region_code"], unique=False)
    op.create_table(
        "status_boards",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("notice", sa.String(length=300), nullable=True),
        sa.Column("created_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", assets_app.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_status_boards_region_code_regions")),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_status_boards")),
    )
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suket", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=30), server_default="ticket", nullable=False))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
    op.execute("UPDATE idempotency_keys SET subject = 'ticket', subject_id = ticket_id")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_constraint("fk_idempotency_keys_ticket_id_tickets", type_="foreignkey")
        batch_op.drop_column("ticket_id")


def downgrade():
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_idempotency_keys_ticket_id_tickets", "tickets", ["ticket_id"], ["id"])
    op.execute("UPDATE idempotency_keys SET ticket_id = subject_id WHERE subject = 'ticket'")
    op.execute("DELETE FROM idempotency_keys WHERE subject <> 'ticket'")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject")
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        batch_op.drop_column("suket")
    op.drop_table("status_boards")
    with op.batch_alter_table("daily_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_reports_region_code"))
        batch_op.drop_index(batch_op.f("ix_daily_reports_day"))
    op.drop_table("daily_reports")

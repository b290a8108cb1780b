"""summary_snapshots: the whole installation's summary stored every few minutes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 17:30:00

A national installation's summary takes seconds to compute live (7,800 kecamatan); the
`ringkasan_instalasi` job stores it as of one moment and the whole-installation pages read
it (hearing.snapshot). The table starts empty: the first job run fills it, and until then
the pages compute live.

"""

import sqlalchemy as sa
from alembic import op

from assets_app.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "summary_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("as_of", UTCDateTime(), nullable=False),
        sa.Column("took_ms", sa.Integer(), nullable=False),
        sa.Column("kecamatan_count", sa.Integer(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.Column("api_kecamatan_json", sa.Text(), nullable=False),
        sa.Column("api_kabkota_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_snapshots")),
    )
    op.create_index(op.f("ix_summary_snapshots_as_of"), "summary_snapshots", ["as_of"])


def downgrade():
    op.drop_index(op.f("ix_summary_snapshots_as_of"), table_name="summary_snapshots")
    op.drop_table("summary_snapshots")

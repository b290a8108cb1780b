"""tickets: an index (status, region_code, resolve_due_at, accept_due_at)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 12:40:00

Every page's inbox counts the overdue open tickets. The open tickets are few but lie
scattered over the whole table (a national installation: 24,000 of 200,000 on 6,000 pages);
this index answers the count from the index alone (12 → 3 ms).

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_tickets_status_due",
        "tickets",
        ["status", "region_code", "resolve_due_at", "accept_due_at"],
    )


def downgrade():
    op.drop_index("ix_tickets_status_due", table_name="tickets")

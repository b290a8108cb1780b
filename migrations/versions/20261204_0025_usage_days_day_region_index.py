"""usage_days: the index (day, region_code) in place of (day)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 03:00:00

Every page's inbox counts the kecamatan of the user's area that have not reported today.
With an index on the day alone, a kab/kota's reports of one day were read through the key
(region_code, day): every day of its kecamatan's history (a national installation: 9,500
rows for one kabupaten, 1 ms on SQLite). (day, region_code) reads that day's rows of the
range of codes only (0.01 ms), and still serves whatever read the day alone.

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_usage_days_day_region", "usage_days", ["day", "region_code"])
    op.drop_index("ix_usage_days_day", table_name="usage_days")


def downgrade():
    op.create_index("ix_usage_days_day", "usage_days", ["day"])
    op.drop_index("ix_usage_days_day_region", table_name="usage_days")

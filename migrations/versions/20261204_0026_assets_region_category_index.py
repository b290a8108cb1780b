"""assets: the index (region_code, category, status)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 20:00:00

The training gap matrix and the training plan count the categories each region holds (the
assets not disposed, grouped by region and category). On a national installation that read
every one of 150,000 assets rows and hashed them (70 ms on PostgreSQL, per page, twice). The
index holds all three columns, in the grouping's order: an index-only scan streams the groups
(30 ms), and a kab/kota reads its range of codes only.

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_assets_region_category_status", "assets", ["region_code", "category", "status"]
    )


def downgrade():
    op.drop_index("ix_assets_region_category_status", table_name="assets")

"""indexes for scoped queries: operators by (region, active), inventory regions by region

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-02 05:45:00

`ix_operators_active` (a boolean) is replaced by `ix_operators_region_active`: without
statistics SQLite drove the training gap and plan joins through the boolean index, scanning
every active operator for every region (209.8 s at national scale). `inventory_regions`
gets an index on `region_code`, as every region column filtered by scope has one.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_index("ix_operators_active")
        batch_op.create_index("ix_operators_region_active", ["region_code", "active"], unique=False)
    with op.batch_alter_table("inventory_regions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_regions_region_code", ["region_code"], unique=False
        )


def downgrade():
    with op.batch_alter_table("inventory_regions", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_regions_region_code")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_index("ix_operators_region_active")
        batch_op.create_index("ix_operators_active", ["active"], unique=False)

"""blanko receipt recorded on behalf of the destination

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 22:30:00

A receipt that a user above the destination (the Dinas for a kecamatan) recorded for it
keeps the reason; the destination's own confirmation leaves it empty.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('blanko_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('blanko_receipts', schema=None) as batch_op:
        batch_op.drop_column('on_behalf_reason')

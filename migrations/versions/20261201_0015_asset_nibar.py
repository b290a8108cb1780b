"""assets: NIBAR (e-BMD), Ukuran/CC and Bahan (classic KIB B)

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-01 23:15:00

NIBAR is optional and unique within a kab/kota; the kab/kota is not a column of its own,
so the service checks it (an asset's region is a kecamatan or the kab/kota itself). An index
on nibar makes that check and the importer's look-up cheap.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nibar", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("ukuran_cc", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("bahan", sa.String(length=60), nullable=True))
        batch_op.create_index("ix_assets_nibar", ["nibar"], unique=False)


def downgrade():
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index("ix_assets_nibar")
        batch_op.drop_column("bahan")
        batch_op.drop_column("ukuran_cc")
        batch_op.drop_column("nibar")

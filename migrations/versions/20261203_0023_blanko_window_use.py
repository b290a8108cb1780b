"""blanko_window_use: each location's pemakaian of the closed days of the 30-day window

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 12:00:00

Low stock and days of cover read every location's use over the last 30 days; from the daily
rollup that is 30 rows per location (234,000 at national scale, on every admin page for the
inbox). The sums of the 29 closed days are stored once a day (blanko.window; the job
`jendela_blanko` keeps them at yesterday) and the upgrade fills them for yesterday in WIB.

"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

WIB = timedelta(hours=7)


def upgrade():
    op.create_table(
        "blanko_window_use",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("through_day", sa.Date(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_blanko_window_use_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_blanko_window_use")),
    )
    op.create_index(op.f("ix_blanko_window_use_through_day"), "blanko_window_use", ["through_day"])
    through = (datetime.now(UTC) + WIB).date() - timedelta(days=1)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO blanko_window_use (region_code, through_day, used) "
            "SELECT r.code, :through, COALESCE(-SUM(d.used), 0) FROM regions r "
            "LEFT JOIN blanko_daily d ON d.region_code = r.code "
            "AND d.day >= :first AND d.day <= :through "
            "WHERE r.level IN ('kabkota', 'kecamatan') GROUP BY r.code"
        ).bindparams(sa.bindparam("through", type_=sa.Date), sa.bindparam("first", type_=sa.Date)),
        {"through": through, "first": through - timedelta(days=28)},
    )


def downgrade():
    op.drop_index(op.f("ix_blanko_window_use_through_day"), table_name="blanko_window_use")
    op.drop_table("blanko_window_use")

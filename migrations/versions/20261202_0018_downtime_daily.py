"""downtime: (asset_id, started_at) index on status events, downtime_daily rollup

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-02 06:00:00

The downtime figures read whole WIB days from `downtime_daily` (closed non-operational
intervals per asset region, day, status, cause and party) and only the period's edges and
the still-open intervals from `asset_status_events`, found through the new
(asset_id, started_at) index. The upgrade fills the rollup from the existing events in bulk
SQL (the same text as `assets_app.assets.downtime`; a migration does not import the app).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0019"
branch_labels = None
depends_on = None

_ROLLUP_SPANS = """
spans AS (
  SELECT a.region_code AS region_code, ev.status AS status,
         COALESCE(ev.cause, 'lainnya') AS cause,
         COALESCE(ev.responsible_party, 'belum_ditentukan') AS party,
         ev.started_at AS s,
         LEAD(ev.started_at) OVER (PARTITION BY ev.asset_id ORDER BY ev.started_at, ev.id) AS e
  FROM asset_status_events ev JOIN assets a ON a.id = ev.asset_id
  WHERE {where}
),
closed AS (
  SELECT * FROM spans
  WHERE e IS NOT NULL AND e > s
    AND status IN ('gangguan', 'dalam_perbaikan', 'tidak_digunakan')
)"""

ROLLUP_SELECT_PG = (
    "WITH"
    + _ROLLUP_SPANS
    + """,
pieces AS (
  SELECT c.region_code, c.status, c.cause, c.party, g::date AS day,
         GREATEST(c.s, g - interval '7 hours') AS lo,
         LEAST(c.e, g + interval '17 hours') AS hi
  FROM closed c,
       generate_series(date_trunc('day', c.s + interval '7 hours'),
                       c.e + interval '7 hours' - interval '1 microsecond',
                       interval '1 day') AS g
)
SELECT region_code, day, status, cause, party AS responsible_party,
       CAST(SUM(EXTRACT(EPOCH FROM hi - lo)) AS double precision) AS seconds
FROM pieces WHERE hi > lo
GROUP BY region_code, day, status, cause, party
"""
)

ROLLUP_SELECT_SQLITE = (
    "WITH RECURSIVE"
    + _ROLLUP_SPANS
    + """,
days(region_code, status, cause, party, day, s, e) AS (
  SELECT region_code, status, cause, party, date(s, '+7 hours'), s, e FROM closed
  UNION ALL
  SELECT region_code, status, cause, party, date(day, '+1 day'), s, e FROM days
  WHERE julianday(date(day, '+1 day'), '-7 hours') < julianday(e)
),
pieces AS (
  SELECT region_code, status, cause, party, day,
         MAX(julianday(s), julianday(day, '-7 hours')) AS lo,
         MIN(julianday(e), julianday(day, '+1 day', '-7 hours')) AS hi
  FROM days
)
SELECT region_code, day, status, cause, party AS responsible_party,
       SUM((hi - lo) * 86400.0) AS seconds
FROM pieces WHERE hi > lo
GROUP BY region_code, day, status, cause, party
"""
)


def upgrade():
    with op.batch_alter_table("asset_status_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_asset_status_events_asset_started", ["asset_id", "started_at"], unique=False
        )
    op.create_table(
        "downtime_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("responsible_party", sa.String(length=20), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name="fk_downtime_daily_region_code_regions"
        ),
        sa.PrimaryKeyConstraint(
            "day", "region_code", "status", "cause", "responsible_party",
            name="pk_downtime_daily",
        ),
    )
    op.create_index("ix_downtime_daily_region_day", "downtime_daily", ["region_code", "day"])
    sql = ROLLUP_SELECT_SQLITE if op.get_bind().dialect.name == "sqlite" else ROLLUP_SELECT_PG
    cols = "region_code, day, status, cause, responsible_party, seconds"
    op.execute(f"INSERT INTO downtime_daily ({cols}) " + sql.format(where="1 = 1"))


def downgrade():
    op.drop_index("ix_downtime_daily_region_day", table_name="downtime_daily")
    op.drop_table("downtime_daily")
    with op.batch_alter_table("asset_status_events", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_status_events_asset_started")

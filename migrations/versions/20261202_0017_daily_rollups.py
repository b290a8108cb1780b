"""daily rollups: blanko_daily (per location per WIB day) and ticket_daily (per kecamatan)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 05:45:00

The tables are filled for an existing installation by the same INSERT … SELECT as
`flask rollups rebuild`, written out here so the migration does not import app code that may
change later.

"""
from alembic import op
import sqlalchemy as sa


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The ledger's changes per (location, WIB day): `blanko.daily._CONTRIB` as of this revision.
BLANKO_CONTRIB = """
SELECT m.to_region AS loc, {day_m} AS day, m.quantity AS received, 0 AS distributed,
       0 AS returned, 0 AS used, 0 AS damaged, 0 AS adjusted, m.quantity AS from_ditjen,
       0 AS short, 0 AS d_transit, 0 AS d_reserved
  FROM blanko_movements m WHERE m.kind = 'penerimaan'
UNION ALL
SELECT m.from_region, {day_m}, 0, -m.quantity, 0, 0, 0, 0, 0, 0, 0, 0
  FROM blanko_movements m WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.to_region, {day_m}, 0, 0, 0, 0, 0, 0, 0, 0, m.quantity, 0
  FROM blanko_movements m WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.to_region, {day_r},
       CASE WHEN m.kind = 'distribusi' THEN r.quantity_received ELSE 0 END, 0,
       CASE WHEN m.kind = 'distribusi' THEN 0 ELSE r.quantity_received END, 0, 0, 0, 0,
       r.quantity_sent - r.quantity_received, -m.quantity, 0
  FROM blanko_movements m JOIN blanko_receipts r ON r.movement_id = m.id
 WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.from_region, {day_m}, 0, 0, 0, -m.quantity, 0, 0, 0, 0, 0, 0
  FROM blanko_movements m WHERE m.kind = 'pemakaian'
UNION ALL
SELECT m.from_region, {day_m}, 0, 0, 0, 0, 0, 0, 0, 0, 0, m.quantity
  FROM blanko_movements m
 WHERE m.kind IN ('rusak', 'penyesuaian') AND m.from_region IS NOT NULL
UNION ALL
SELECT m.from_region, {day_a}, 0, 0, 0, 0,
       CASE WHEN m.kind = 'rusak' AND a.approved THEN -m.quantity ELSE 0 END,
       CASE WHEN m.kind = 'penyesuaian' AND a.approved THEN -m.quantity ELSE 0 END,
       0, 0, 0, -m.quantity
  FROM blanko_movements m JOIN blanko_approvals a ON a.movement_id = m.id
 WHERE m.kind IN ('rusak', 'penyesuaian') AND m.from_region IS NOT NULL
UNION ALL
SELECT m.to_region, {day_a}, 0, 0, 0, 0, 0, m.quantity, 0, 0, 0, 0
  FROM blanko_movements m JOIN blanko_approvals a ON a.movement_id = m.id
 WHERE m.kind = 'penyesuaian' AND m.from_region IS NULL AND a.approved
"""

BLANKO_ROWS = """
SELECT loc, day,
       SUM(received), SUM(distributed), SUM(returned), SUM(used), SUM(damaged), SUM(adjusted),
       SUM(from_ditjen), SUM(short),
       SUM(SUM(received + distributed + returned + used + damaged + adjusted))
           OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING),
       SUM(SUM(d_transit)) OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING),
       SUM(SUM(d_reserved)) OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING)
  FROM ({contrib}) AS contrib
 WHERE {where}
 GROUP BY loc, day
"""

BLANKO_COLUMNS = (
    "region_code, day, received, distributed, returned, used, damaged, adjusted, "
    "from_ditjen, short, on_hand, in_transit, reserved"
)


def _day(col: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST({col} + INTERVAL '7 hours' AS DATE)"
    return f"date({col}, '+7 hours')"


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade():
    op.create_table(
        "blanko_daily",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(
            _int(c)
            for c in (
                "received", "distributed", "returned", "used", "damaged", "adjusted",
                "from_ditjen", "short", "on_hand", "in_transit", "reserved",
            )
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_blanko_daily_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("region_code", "day", name=op.f("pk_blanko_daily")),
    )
    contrib = BLANKO_CONTRIB.format(
        day_m=_day("m.occurred_at"), day_r=_day("r.received_at"), day_a=_day("a.decided_at")
    )
    select = BLANKO_ROWS.format(contrib=contrib, where="TRUE")
    op.execute(f"INSERT INTO blanko_daily ({BLANKO_COLUMNS}) {select}")

    op.create_table(
        "ticket_daily",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _int("filed"),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_ticket_daily_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("region_code", "day", name=op.f("pk_ticket_daily")),
    )
    day = _day("created_at")
    op.execute(
        "INSERT INTO ticket_daily (region_code, day, filed) "
        f"SELECT region_code, {day}, count(*) FROM tickets GROUP BY region_code, {day}"
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_created_at", ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_created_at")
    op.drop_table("ticket_daily")
    op.drop_table("blanko_daily")

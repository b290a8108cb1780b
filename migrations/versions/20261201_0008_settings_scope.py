"""settings scope: SLA calendar, SLA targets, holidays and certificate validity per kab/kota

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 22:30:00

Every setting row gets a nullable `region_code`: NULL is the installation default (what the
existing rows become), a kab/kota code that kab/kota's own value. `sla_targets` and
`training_topic_validity` had their key column as primary key; they get an `id` key and a
unique (region_code, key) instead, rebuilt with their rows copied.
"""

from alembic import op
import sqlalchemy as sa

import assets_app.db


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


_TYPES = {
    "updated_at": assets_app.db.UTCDateTime(),
    "accept_hours": sa.Integer(),
    "resolve_days": sa.Integer(),
    "months": sa.Integer(),
}


def _rows(table: str, columns: tuple[str, ...]) -> list[dict]:
    """The rows of `table` as dicts, typed (a timestamp comes back aware, as it goes in)."""
    cols = [sa.column(c, _TYPES.get(c, sa.String())) for c in columns]
    stmt = sa.select(*cols).select_from(sa.table(table, *cols))
    return [dict(row._mapping) for row in op.get_bind().execute(stmt)]


def _create_sla_targets(with_region: bool):
    cols = [sa.Column("id", sa.Integer(), nullable=False)] if with_region else []
    if with_region:
        cols.append(sa.Column("region_code", sa.String(length=13), nullable=True))
    cols += [
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("accept_hours", sa.Integer(), nullable=False),
        sa.Column("resolve_days", sa.Integer(), nullable=False),
    ]
    if with_region:
        cols += [
            sa.ForeignKeyConstraint(
                ["region_code"], ["regions.code"], name=op.f("fk_sla_targets_region_code_regions")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_targets")),
            sa.UniqueConstraint(
                "region_code", "priority", name=op.f("uq_sla_targets_region_code_priority")
            ),
        ]
    else:
        cols.append(sa.PrimaryKeyConstraint("priority", name=op.f("pk_sla_targets")))
    table = op.create_table("sla_targets", *cols)
    if with_region:
        op.create_index(op.f("ix_sla_targets_region_code"), "sla_targets", ["region_code"])
    return table


def _create_validity(with_region: bool):
    cols = [sa.Column("id", sa.Integer(), nullable=False)] if with_region else []
    if with_region:
        cols.append(sa.Column("region_code", sa.String(length=13), nullable=True))
    cols += [
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("updated_at", assets_app.db.UTCDateTime(), nullable=False),
    ]
    if with_region:
        cols += [
            sa.ForeignKeyConstraint(
                ["region_code"],
                ["regions.code"],
                name=op.f("fk_training_topic_validity_region_code_regions"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_training_topic_validity")),
            sa.UniqueConstraint(
                "region_code", "topic", name=op.f("uq_training_topic_validity_region_code_topic")
            ),
        ]
    else:
        cols.append(sa.PrimaryKeyConstraint("topic", name=op.f("pk_training_topic_validity")))
    table = op.create_table("training_topic_validity", *cols)
    if with_region:
        op.create_index(
            op.f("ix_training_topic_validity_region_code"),
            "training_topic_validity",
            ["region_code"],
        )
    return table


TARGET_COLS = ("priority", "accept_hours", "resolve_days")
VALIDITY_COLS = ("topic", "months", "updated_at")


def upgrade():
    # Existing rows stay as the installation defaults (region_code NULL).
    targets = _rows("sla_targets", TARGET_COLS)
    op.drop_table("sla_targets")
    op.bulk_insert(_create_sla_targets(True), targets)

    validity = _rows("training_topic_validity", VALIDITY_COLS)
    op.drop_table("training_topic_validity")
    op.bulk_insert(_create_validity(True), validity)

    with op.batch_alter_table("sla_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_code", sa.String(length=13), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_sla_settings_region_code"), ["region_code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_sla_settings_region_code_regions"), "regions", ["region_code"], ["code"]
        )

    if op.get_bind().dialect.name == "postgresql":
        # The default calendar row was always written with id 1, so the id sequence never
        # moved: a kab/kota's row would collide with it.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('sla_settings', 'id'), "
            "COALESCE((SELECT MAX(id) FROM sla_settings), 0) + 1, false)"
        )

    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_code", sa.String(length=13), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_holidays_day"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_holidays_region_code_day"), ["region_code", "day"]
        )
        batch_op.create_index(batch_op.f("ix_holidays_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_holidays_region_code"), ["region_code"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_holidays_region_code_regions"), "regions", ["region_code"], ["code"]
        )


def downgrade():
    # Only the installation defaults survive a downgrade; kab/kota rows are dropped.
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM holidays WHERE region_code IS NOT NULL"))
    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_holidays_region_code_regions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_holidays_region_code"))
        batch_op.drop_index(batch_op.f("ix_holidays_day"))
        batch_op.drop_constraint(batch_op.f("uq_holidays_region_code_day"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_holidays_day"), ["day"])
        batch_op.drop_column("region_code")

    bind.execute(sa.text("DELETE FROM sla_settings WHERE region_code IS NOT NULL"))
    with op.batch_alter_table("sla_settings", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sla_settings_region_code_regions"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_sla_settings_region_code"), type_="unique")
        batch_op.drop_column("region_code")

    validity = [
        r
        for r in _rows("training_topic_validity", ("region_code",) + VALIDITY_COLS)
        if r.pop("region_code") is None
    ]
    op.drop_table("training_topic_validity")
    op.bulk_insert(_create_validity(False), validity)

    targets = [
        r
        for r in _rows("sla_targets", ("region_code",) + TARGET_COLS)
        if r.pop("region_code") is None
    ]
    op.drop_table("sla_targets")
    op.bulk_insert(_create_sla_targets(False), targets)

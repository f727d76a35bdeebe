"""No double booking: bookings and dispatches hold their room or vehicle for their request's time

A room booking and a vehicle dispatch carry the time they hold their room or vehicle (their
request's, while it is live and not refused or cancelled), kept by the save lifecycle. On
PostgreSQL an exclusion constraint refuses two overlapping holds of one room or one vehicle,
whatever writes them: two clerks saving at the same moment cannot both win.

Existing rows are filled in request order; a hold that would overlap one already filled (two
dispatches of one car recorded before vehicles were checked) is left empty — the records
stay, they only no longer hold the vehicle.

Revision ID: 0019_no_double_booking
Revises: 0018_jobs
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_no_double_booking'
down_revision = '0018_jobs'
branch_labels = None
depends_on = None

#: (table, the column naming what it holds)
HELD = (("room_booking", "meeting_room_id"), ("vehicle_dispatch", "vehicle_id"))
INACTIVE = ("REJECTED", "CANCELLED")


def _fill(bind, table: str, resource: str) -> None:
    rows = bind.execute(sa.text(
        f"SELECT b.id, b.{resource}, r.start_at, r.end_at FROM {table} b JOIN logistics_request r "
        f"ON r.id = b.request_id WHERE NOT b.is_deleted AND NOT r.is_deleted "
        f"AND r.status NOT IN ('REJECTED', 'CANCELLED') AND r.start_at IS NOT NULL AND r.end_at IS NOT NULL "
        f"AND r.end_at > r.start_at ORDER BY b.{resource}, r.start_at, b.id")).all()
    held_until: dict = {}
    for pk, what, start, end in rows:
        if what in held_until and start < held_until[what]:
            continue                       # overlaps a hold already filled: recorded, not held
        held_until[what] = end if what not in held_until else max(end, held_until[what])
        bind.execute(sa.text(f"UPDATE {table} SET busy_from = :start, busy_until = :end WHERE id = :id"),
                     {"start": start, "end": end, "id": pk})


def upgrade():
    for table, _resource in HELD:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('busy_from', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('busy_until', sa.DateTime(), nullable=True))
    bind = op.get_bind()
    for table, resource in HELD:
        _fill(bind, table, resource)
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for table, resource in HELD:
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT ex_{table}_busy EXCLUDE USING gist "
                       f"({resource} WITH =, tsrange(busy_from, busy_until, '[)') WITH &&) "
                       f"WHERE (busy_from IS NOT NULL AND busy_until IS NOT NULL)")


def downgrade():
    bind = op.get_bind()
    for table, _resource in HELD:
        if bind.dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ex_{table}_busy")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('busy_until')
            batch_op.drop_column('busy_from')

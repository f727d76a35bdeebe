"""Cache stamps: the version of each table a process keeps in memory (the lookups), raised by
every write, so each worker of a pool reloads at its next request (issue 19)

Revision ID: 0015_cache_stamps
Revises: 0014_import_mappings
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_cache_stamps'
down_revision = '0014_import_mappings'
branch_labels = None
depends_on = None


def upgrade():
    stamps = op.create_table('cache_stamp',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.bulk_insert(stamps, [{'name': 'lookup', 'version': 1}, {'name': 'rights', 'version': 1}])


def downgrade():
    op.drop_table('cache_stamp')

"""Import mappings: the file column a clerk chose for each field, remembered per user and entity

Revision ID: 0014_import_mappings
Revises: 0013_unit_aliases
Create Date: 2026-12-05 23:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_import_mappings'
down_revision = '0013_unit_aliases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=128), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username', 'entity', name='uq_import_mapping_user_entity')
    )


def downgrade():
    op.drop_table('import_mapping')

"""Jobs: imports and the search index's rebuild run on the queue too (their parameters and outcome)

Revision ID: 0021_job_params
Revises: 0020_notifications
Create Date: 2026-12-07 10:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_job_params'
down_revision = '0020_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('outcome')
        batch_op.drop_column('params')

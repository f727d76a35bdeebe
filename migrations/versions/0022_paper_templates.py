"""Paper templates: an admin's own layout of one of the office's paper forms (发文稿纸, 督办通知单 …)

Revision ID: 0022_paper_templates
Revises: 0021_job_params
Create Date: 2026-12-07 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_paper_templates'
down_revision = '0021_job_params'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )


def downgrade():
    op.drop_table('paper_template')

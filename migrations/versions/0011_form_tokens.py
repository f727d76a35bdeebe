"""One-time form tokens: a form submitted twice makes one record (issue 16)

The table `form_token` holds the tokens of saved forms and the API's Idempotency-Keys
(models/form_tokens.py); its unique key makes the second of two concurrent submissions
fail and roll back.

Revision ID: 0011_form_tokens
Revises: 0010_leftover_words
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_form_tokens'
down_revision = '0010_leftover_words'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=128), nullable=False),
        sa.Column('entity', sa.String(length=64), nullable=False),
        sa.Column('token', sa.String(length=100), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('username', 'entity', 'token', name='uq_form_token_user_entity_token'),
    )
    op.create_index('ix_form_token_created_at', 'form_token', ['created_at'])


def downgrade():
    op.drop_index('ix_form_token_created_at', table_name='form_token')
    op.drop_table('form_token')

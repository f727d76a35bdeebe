"""Need-to-know lists (知悉范围) of records with a secrecy level, and an attachment's own secrecy level

Revision ID: 0027_need_to_know
Revises: 0026_document_validity_seal
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_need_to_know'
down_revision = '0026_document_validity_seal'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('need_to_know',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=True),
    sa.CheckConstraint('(department_id IS NULL) <> (user_id IS NULL)', name='ck_need_to_know_one_reader'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entity', 'record_id', 'department_id', name='uq_need_to_know_unit'),
    sa.UniqueConstraint('entity', 'record_id', 'user_id', name='uq_need_to_know_user')
    )
    with op.batch_alter_table('need_to_know', schema=None) as batch_op:
        batch_op.create_index('ix_need_to_know_owner', ['entity', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_to_know_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_to_know_user_id'), ['user_id'], unique=False)

    # an attachment's own level: every file stored so far is unclassified (a record at 秘密 or
    # above keeps none, and no level could be chosen before)
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secrecy_level', sa.String(length=32), server_default='FEIMI', nullable=False))


def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('secrecy_level')
    with op.batch_alter_table('need_to_know', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_to_know_user_id'))
        batch_op.drop_index(batch_op.f('ix_need_to_know_department_id'))
        batch_op.drop_index('ix_need_to_know_owner')
    op.drop_table('need_to_know')

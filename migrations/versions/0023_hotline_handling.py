"""12345 hotline closer to practice: co-handling units (协办), the unit that passed a case on to a
unit under it (二级派单), calls not accepted with their reason (不予受理), duplicates merged into
a main case (并案); and the menu's function reads 12345热线与市长信箱

The function's label is seeded once (`flask init-office` only adds what is missing), so a
database seeded before keeps 市长热线 until this runs; a label an administrator has since
changed is left alone.

Revision ID: 0023_hotline_handling
Revises: 0022_paper_templates
Create Date: 2026-12-07 13:10:13

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_hotline_handling'
down_revision = '0022_paper_templates'
branch_labels = None
depends_on = None

#: (category, code, column, old seeded label, new label)
LABELS = [
    ("office_function", "F10_Hotline", "label_zh", "市长热线", "12345热线与市长信箱"),
    ("office_function", "F10_Hotline", "label_en", "Mayor hotline", "12345 Hotline & Mayor's Mailbox"),
]


def upgrade():
    op.create_table('hotline_case_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['hotline_case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'department_id', name='uq_hotline_case_unit')
    )
    with op.batch_alter_table('hotline_case_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotline_case_unit_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_case_unit_department_id'), ['department_id'], unique=False)

    with op.batch_alter_table('hotline_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passed_by_department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('passed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('rejected_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rejected_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_hotline_case_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_case_passed_by_department_id'), ['passed_by_department_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_case_rejection_reason'), ['rejection_reason'], unique=False)
        batch_op.create_foreign_key('fk_hotline_case_merged_into_id', 'hotline_case', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key('fk_hotline_case_passed_by_department_id', 'department',
                                    ['passed_by_department_id'], ['id'])

    bind = op.get_bind()
    if "lookup" in set(sa.inspect(bind).get_table_names()):
        for category, code, column, old, new in LABELS:
            bind.execute(sa.text(f"UPDATE lookup SET {column} = :new WHERE category = :category AND code = :code "
                                 f"AND {column} = :old"),
                         {"new": new, "old": old, "category": category, "code": code})


def downgrade():
    bind = op.get_bind()
    for category, code, column, old, new in LABELS:
        bind.execute(sa.text(f"UPDATE lookup SET {column} = :old WHERE category = :category AND code = :code "
                             f"AND {column} = :new"),
                     {"new": new, "old": old, "category": category, "code": code})
    with op.batch_alter_table('hotline_case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_hotline_case_passed_by_department_id', type_='foreignkey')
        batch_op.drop_constraint('fk_hotline_case_merged_into_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_hotline_case_rejection_reason'))
        batch_op.drop_index(batch_op.f('ix_hotline_case_passed_by_department_id'))
        batch_op.drop_index(batch_op.f('ix_hotline_case_merged_into_id'))
        batch_op.drop_column('merged_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('rejected_by')
        batch_op.drop_column('rejected_at')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('passed_at')
        batch_op.drop_column('passed_by_department_id')

    with op.batch_alter_table('hotline_case_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotline_case_unit_department_id'))
        batch_op.drop_index(batch_op.f('ix_hotline_case_unit_case_id'))

    op.drop_table('hotline_case_unit')

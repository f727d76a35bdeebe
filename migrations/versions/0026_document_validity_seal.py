"""Documents: 签收 before 登记 (who signed for it), 用印 before 印发 (who sealed, when, copies), the validity
of a normative document (effective and expiry dates, 有效/已废止/已撤销/已失效, who repealed or revoked it, when,
why and on what basis) and the last 解密/降密 (the level before, the date, the approver, the basis)

Revision ID: 0026_document_validity_seal
Revises: 0025_proposal_windows
Create Date: 2026-12-07 13:30:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_document_validity_seal'
down_revision = '0025_proposal_windows'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declassified_from', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('declassified_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('declassify_approver_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('declassify_basis', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('effective_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('expiry_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('validity', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('validity_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('validity_changed_by', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('validity_basis', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('validity_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('received_by', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('sealed_by', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('sealed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('seal_copies', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_document_declassified_from'), ['declassified_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_declassify_approver_id'), ['declassify_approver_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_document_effective_date'), ['effective_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_expiry_date'), ['expiry_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_validity'), ['validity'], unique=False)
        batch_op.create_foreign_key('fk_document_declassify_approver_id', 'personnel', ['declassify_approver_id'],
                                    ['id'])
    # the state before 签收 reads "Awaiting receipt" where an admin has not renamed it
    op.execute("UPDATE lookup SET label_en = 'Awaiting receipt' WHERE category = 'doc_status' "
               "AND code = 'PENDING_SIGN' AND label_en = 'Awaiting sign-for'")
    # a normative document issued already takes effect on its printing date (else the date it was written)
    # and is in force for 5 years: 有效, or 已失效 if that is past (models/documents.py `keep_validity`)
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, printed_date, written_date FROM document WHERE is_normative = :yes AND direction = 'OUTGOING' "
        "AND status IN ('PRINTED', 'DISTRIBUTED', 'PUBLISHED', 'ARCHIVED')"), {"yes": True}).all()
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    for pk, printed, written in rows:
        effective = _as_date(printed) or _as_date(written) or today
        try:
            expiry = effective.replace(year=effective.year + 5) - dt.timedelta(days=1)
        except ValueError:      # 29 February
            expiry = effective.replace(year=effective.year + 5, day=28) - dt.timedelta(days=1)
        conn.execute(sa.text("UPDATE document SET effective_date = :e, expiry_date = :x, validity = :v WHERE id = :id"),
                     {"e": effective, "x": expiry, "v": "EXPIRED" if expiry < today else "VALID", "id": pk})


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('fk_document_declassify_approver_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_document_validity'))
        batch_op.drop_index(batch_op.f('ix_document_expiry_date'))
        batch_op.drop_index(batch_op.f('ix_document_effective_date'))
        batch_op.drop_index(batch_op.f('ix_document_declassify_approver_id'))
        batch_op.drop_index(batch_op.f('ix_document_declassified_from'))
        for column in ('seal_copies', 'sealed_at', 'sealed_by', 'received_by', 'validity_reason', 'validity_basis',
                       'validity_changed_by', 'validity_changed_at', 'validity', 'expiry_date', 'effective_date',
                       'declassify_basis', 'declassify_approver_id', 'declassified_on', 'declassified_from'):
            batch_op.drop_column(column)

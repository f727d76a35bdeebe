"""Words left over in seeded data: the developer's "[verify]" notes in the time limits'
descriptions, and lookup labels corrected in the code (已归档 reads "Archived", not
"Closed"; 社会安全事件 "Social security event"; 秘密 "Confidential")

Seeded rows are written once (`flask init-office` only adds what is missing), so a
database seeded before the correction keeps the old words until this runs. A label an
administrator has since changed is left alone: only the old seeded wording is replaced.

Revision ID: 0010_leftover_words
Revises: 0009_function_ownership
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_leftover_words'
down_revision = '0009_function_ownership'
branch_labels = None
depends_on = None

SLA_TABLES = ("incident_sla", "hotline_sla", "document_sla")

#: (category, code, old seeded English labels, corrected label)
LABELS = [
    ("incident_status", "CLOSED", ("Closed",), "Archived"),
    ("hotline_status", "CLOSED", ("Closed",), "Archived"),
    ("incident_category", "SHEHUI", ("Social-safety incident", "Social safety incident"), "Social security event"),
    ("secrecy_level", "MIMI", ("Secret", "secret"), "Confidential"),
]


def upgrade():
    bind = op.get_bind()
    tables = set(sa.inspect(bind).get_table_names())
    for table in SLA_TABLES:
        if table in tables:
            op.execute(sa.text(
                f"UPDATE {table} SET description = REPLACE(REPLACE(description, ' [verify]', ''), '[verify]', '') "
                "WHERE description LIKE '%[verify]%'"))
    if "lookup" in tables:
        for category, code, old, new in LABELS:
            bind.execute(
                sa.text("UPDATE lookup SET label_en = :new WHERE category = :category AND code = :code "
                        "AND label_en IN :old").bindparams(sa.bindparam("old", expanding=True)),
                {"new": new, "category": category, "code": code, "old": list(old)})


def downgrade():
    # The notes and the old labels were mistakes: there is nothing to bring back.
    pass

"""Empty text in unique columns becomes NULL (see app/clean_values.py): stored as '' it made
every second record without, say, a receive number unsaveable

Revision ID: 0008_blank_text_is_null
Revises: 0007_list_indexes
Create Date: 2026-11-27 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_blank_text_is_null'
down_revision = '0007_list_indexes'
branch_labels = None
depends_on = None


def _unique_text_columns(bind):
    """(table, column) of every nullable text column under a unique constraint or index."""
    inspector = sa.inspect(bind)
    found = set()
    for table in inspector.get_table_names():
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        groups = [u["column_names"] for u in inspector.get_unique_constraints(table)]
        groups += [i["column_names"] for i in inspector.get_indexes(table) if i.get("unique")]
        if table.startswith("ab_"):
            continue   # FAB's own tables
        for group in groups:
            for name in group:
                column = columns.get(name)
                if column is not None and column["nullable"] and isinstance(column["type"], sa.String):
                    found.add((table, name))
    return sorted(found)


def upgrade():
    bind = op.get_bind()
    for table, column in _unique_text_columns(bind):
        t = sa.table(table, sa.column(column, sa.String))
        bind.execute(t.update().where(sa.func.trim(t.c[column]) == '').values({column: None}))


def downgrade():
    pass   # NULL is what an empty value always meant; nothing to restore

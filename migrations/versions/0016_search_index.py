"""The global search index (issue 20): SQLite FTS5 on the embedded default, a tsvector with a
GIN index on PostgreSQL (app/search/index.py); filled from the records already there.

Revision ID: 0016_search_index
Revises: 0015_cache_stamps
Create Date: 2026-12-07 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_search_index'
down_revision = '0015_cache_stamps'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("CREATE TABLE search_index (key BIGINT PRIMARY KEY, entity VARCHAR(60) NOT NULL, "
                   "record_id INTEGER NOT NULL, body TEXT NOT NULL, words TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_search_index_words ON search_index USING GIN (words)")
    else:
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(entity UNINDEXED, record_id UNINDEXED, body, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    # the records already there (none on a new database) are indexed once every migration has
    # run (migrations/env.py): the models the indexer reads are the newest, whose columns a
    # database at this revision does not have yet
    bind.info["office_reindex"] = True


def downgrade():
    op.execute("DROP TABLE search_index")

"""Server-side session revocation: logout, password change and deactivation end every session and token (issue 16)

Two columns on the login `ab_user`:

* `session_epoch` — every web session and API token carries the value it saw at sign-in;
  logout, a new password, deactivation and an administrator's *End sessions* raise it,
  and anything signed with an older value is refused (app/sessions.py). Existing rows
  start at 0; sessions made before this migration carry no value and are signed out once.
* `last_failed_login` — when the last failed sign-in was, so that a lockout ends by
  itself AUTH_LOCKOUT_MINUTES later (app/login_guard.py).

Revision ID: 0012_session_revocation
Revises: 0011_form_tokens
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_session_revocation'
down_revision = '0011_form_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_failed_login', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('last_failed_login')
        batch_op.drop_column('session_epoch')

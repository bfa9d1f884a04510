"""a referral sent twice makes one case: the form's one-time key on cases

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 10:10:00

- `cases.submission_key`: the one-time key of the staff form that made the case
  (a police referral), unique, so that a double click, a resend or two requests
  at once make one case, one victim record and one welcome (an outside test
  made four of each).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_cases_submission_key', ['submission_key'])


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('uq_cases_submission_key', type_='unique')
        batch_op.drop_column('submission_key')

"""timeline contacts: who made contact, and one entry per form sent

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 08:10:48

- `timeline_events.direction`: for a call, letter or meeting, whether the
  officer contacted the victim or the victim contacted the officer (the
  console names the entry from it, in either language);
- `timeline_events.submission_key`: the one-time key of the form that wrote
  the entry, unique on its case, so that a form sent twice (a double click,
  Back and send again, two requests at once) writes one entry.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.Enum('to_victim', 'from_victim', name='contact_direction', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('submission_key', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_timeline_events_case_submission', ['case_id', 'submission_key'])


def downgrade():
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.drop_constraint('uq_timeline_events_case_submission', type_='unique')
        batch_op.drop_constraint('contact_direction', type_='check')
        batch_op.drop_column('submission_key')
        batch_op.drop_column('direction')

"""a victim's other access needs, in words

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 09:00:00

- `victims.accessibility_other`: an access need that is not one of the listed
  ones (large print, easy read, an interpreter, BSL), in the words of the
  police referral that gave it (`accessibility_needs` then holds "other").

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessibility_other', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.drop_column('accessibility_other')

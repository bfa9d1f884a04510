"""a victim's own choices: pausing updates, leaving and asking to come back; codes that
prove a new email address or mobile number

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 09:00:00

- `cases.paused_until`, `cases.paused_until_stage`: a pause the victim asked for (status
  paused) ends on that day, or when that stage (or a later one) is recorded; neither
  means until they or their officer start updates again (the demo's paused cases).
- `cases.left_at`: the victim left the scheme (status closed): nothing is sent to them,
  but they may still sign in, see that they left and ask to come back
  (`cases.come_back_asked_at`, which their officer sees on the case).
- `security_codes.purpose` takes "contact": a signed-in victim proving a new email
  address or mobile number before it is used.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

STAGES = (
    'sentence', 'custody', 'parole', 'release', 'licence_conditions', 'recall',
    'end_of_sentence',
)
OLD_PURPOSES = ('sign-in', 'registration', 'resume', 'link')
NEW_PURPOSES = (*OLD_PURPOSES, 'contact')


def _in(values) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_until_stage', sa.Enum(*STAGES, name='pause_stage', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('come_back_asked_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_constraint('code_purpose', type_='check')
        batch_op.create_check_constraint('code_purpose', f"purpose IN {_in(NEW_PURPOSES)}")


def downgrade():
    op.execute("DELETE FROM security_codes WHERE purpose = 'contact'")
    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_constraint('code_purpose', type_='check')
        batch_op.create_check_constraint('code_purpose', f"purpose IN {_in(OLD_PURPOSES)}")

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('pause_stage', type_='check')
        batch_op.drop_column('come_back_asked_at')
        batch_op.drop_column('left_at')
        batch_op.drop_column('paused_until_stage')
        batch_op.drop_column('paused_until')

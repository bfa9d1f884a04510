"""notifications by victim: an index for a case's "Notifications sent" page

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 09:00:00

- `outbox_notifications`: an index on (victim_id, created_at), so an officer's list
  of what was sent to one victim, newest first, reads only that victim's rows
  whatever the size of the outbox.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.create_index(
            'ix_outbox_notifications_victim_created', ['victim_id', 'created_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_notifications_victim_created')

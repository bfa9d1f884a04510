"""messages: the notification an officer's message caused

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 10:00:00

- `messages.notification_id`: the content-free "you have a new message" an officer's
  message caused, as timeline entries and request steps already point at theirs. Pausing or
  leaving cancels what waits to tell the victim of the case's messages too, and the worker
  checks the case again before sending (portal.notifications.worker).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_messages_notification_id_outbox_notifications'),
            'outbox_notifications', ['notification_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_messages_notification_id_outbox_notifications'), type_='foreignkey'
        )
        batch_op.drop_column('notification_id')

"""messages: encrypted words, one message per form, replies awaited, drafts kept

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 12:20:00

- `messages.body` is encrypted at rest (portal.encryption.EncryptedText, the same
  MultiFernet keys as the outbox): rows already there are encrypted here.
- `messages.submission_key`, unique on its case: a form sent twice sends once.
- `messages.answered_at`, `answered_by_id`, `no_reply_needed`: a victim's message
  waits for a reply until an officer answers or marks it as needing none; a partial
  index holds only the waiting ones (the officers' queues), another only the
  victim's unread replies.
- `message_drafts`: what a victim typed and has not sent, encrypted, one per victim
  and case, so that a session ending does not lose it.
- `victim_liaison_officers.daily_summary`: an officer may ask for a morning email
  with how many messages wait (no content).

"""
from alembic import op
import sqlalchemy as sa

from portal import encryption


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

WAITING = "sender = 'victim' AND answered_at IS NULL"
UNREAD = "sender = 'officer' AND read_at IS NULL"


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, body FROM messages")).all()
    for row_id, body in rows:
        connection.execute(
            sa.text("UPDATE messages SET body = :body WHERE id = :id"),
            {"body": encryption.encrypt(body), "id": row_id},
        )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('no_reply_needed', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_foreign_key(
            'fk_messages_answered_by_id_victim_liaison_officers',
            'victim_liaison_officers',
            ['answered_by_id'],
            ['id'],
        )
        batch_op.create_unique_constraint(
            'uq_messages_case_submission', ['case_id', 'submission_key']
        )
    op.create_index(
        'ix_messages_waiting',
        'messages',
        ['case_id', 'created_at'],
        unique=False,
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )
    op.create_index(
        'ix_messages_unread',
        'messages',
        ['case_id'],
        unique=False,
        sqlite_where=sa.text(UNREAD),
        postgresql_where=sa.text(UNREAD),
    )
    op.create_table(
        'message_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('victim_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['victim_id'], ['victims.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'victim_id', name='uq_message_drafts_case_victim'),
    )
    with op.batch_alter_table('victim_liaison_officers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('daily_summary', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('victim_liaison_officers', schema=None) as batch_op:
        batch_op.drop_column('daily_summary')
    op.drop_table('message_drafts')
    op.drop_index('ix_messages_unread', table_name='messages')
    op.drop_index('ix_messages_waiting', table_name='messages')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint('uq_messages_case_submission', type_='unique')
        batch_op.drop_constraint(
            'fk_messages_answered_by_id_victim_liaison_officers', type_='foreignkey'
        )
        batch_op.drop_column('no_reply_needed')
        batch_op.drop_column('answered_by_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('submission_key')
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, body FROM messages")).all()
    for row_id, body in rows:
        connection.execute(
            sa.text("UPDATE messages SET body = :body WHERE id = :id"),
            {"body": encryption.decrypt(body), "id": row_id},
        )

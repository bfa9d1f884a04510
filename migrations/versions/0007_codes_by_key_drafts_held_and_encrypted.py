"""codes looked up by a keyed hash, a draft held by one browser, drafts encrypted

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:00:00

An outside retest found:
- addresses strangers typed (sign-in, carrying on) kept readable in
  `security_codes.destination`: codes are now looked up and counted by
  `destination_key`, a keyed hash of the address as limits count it, and the
  readable address is kept only for registration codes. Codes live minutes
  and links hours: the old rows are dropped, and whoever held one asks again;
- a registration open in every browser that ever held it:
  `registration_drafts.holder_hash` names the one browser that holds it;
  existing drafts are held by nobody until carried on by link or code;
- draft answers (names, addresses) readable: `registration_drafts.answers`
  is encrypted at rest with the app's ENCRYPTION_KEYS, as the outbox is.

"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _encryption():
    from portal import encryption

    return encryption


def upgrade():
    op.execute('DELETE FROM security_codes')
    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_security_codes_destination_created')
        batch_op.drop_index('ix_security_codes_requester')
        batch_op.add_column(sa.Column('destination_key', sa.String(length=64), nullable=False))
        batch_op.alter_column('destination', existing_type=sa.String(length=254), nullable=True)
        batch_op.create_index('ix_security_codes_destination_key_created', ['destination_key', 'created_at'], unique=False)
        batch_op.create_index('ix_security_codes_requester', ['purpose', 'destination_key', 'requester'], unique=False)

    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('answers_sealed', sa.Text(), nullable=True))
    connection = op.get_bind()
    encryption = _encryption()
    rows = connection.execute(sa.text('SELECT id, answers FROM registration_drafts')).all()
    for row_id, plain in rows:
        value = plain if isinstance(plain, dict) else json.loads(plain or '{}')
        connection.execute(
            sa.text('UPDATE registration_drafts SET answers_sealed = :sealed WHERE id = :id'),
            {'sealed': encryption.encrypt(json.dumps(value, separators=(',', ':'), sort_keys=True)), 'id': row_id},
        )
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.drop_column('answers')
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.alter_column('answers_sealed', new_column_name='answers', existing_type=sa.Text(), nullable=False)


def downgrade():
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_plain', sa.JSON(), nullable=True))
    connection = op.get_bind()
    encryption = _encryption()
    rows = connection.execute(sa.text('SELECT id, answers FROM registration_drafts')).all()
    for row_id, sealed in rows:
        connection.execute(
            sa.text('UPDATE registration_drafts SET answers_plain = :plain WHERE id = :id'),
            {'plain': encryption.decrypt(sealed), 'id': row_id},
        )
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.drop_column('answers')
        batch_op.drop_column('holder_hash')
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.alter_column('answers_plain', new_column_name='answers', existing_type=sa.JSON(), nullable=False)

    op.execute('DELETE FROM security_codes')
    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_security_codes_requester')
        batch_op.drop_index('ix_security_codes_destination_key_created')
        batch_op.alter_column('destination', existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column('destination_key')
        batch_op.create_index('ix_security_codes_destination_created', ['destination', 'created_at'], unique=False)
        batch_op.create_index('ix_security_codes_requester', ['purpose', 'destination', 'requester'], unique=False)

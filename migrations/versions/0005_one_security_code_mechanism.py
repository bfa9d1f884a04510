"""one security code mechanism, duplicate flags, gated and encrypted outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 05:30:00

- `security_codes` replaces `verification_codes` and `sign_in_codes` and the
  drafts' `resume_token_hash`: one hashed, expiring, attempt-limited secret
  with its purpose, bound to the browser and network that asked for it.
  Codes live minutes and links hours, so none are carried over: anyone
  holding one asks again.
- `cases.possible_duplicate_of_id`: a registration that looks like a live
  case is flagged for an officer, never merged in the registrant's browser.
- `outbox_notifications.gate`, and `personalisation` encrypted at rest (a
  Fernet token in a text column) with the app's ENCRYPTION_KEYS.
- Email addresses kept in lower case (one form for matching and limits).

"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _encryption():
    from portal import encryption

    return encryption


def upgrade():
    op.create_table(
        'security_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.Enum('sign-in', 'registration', 'resume', 'link', name='code_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('channel', sa.Enum('email', 'sms', 'letter', name='code_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('destination', sa.String(length=254), nullable=False),
        sa.Column('requester', sa.String(length=64), nullable=True),
        sa.Column('network', sa.String(length=64), nullable=False),
        sa.Column('draft_id', sa.String(length=36), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['draft_id'], ['registration_drafts.id'], name=op.f('fk_security_codes_draft_id_registration_drafts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_security_codes')),
    )
    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.create_index('ix_security_codes_destination_created', ['destination', 'created_at'], unique=False)
        batch_op.create_index('ix_security_codes_requester', ['purpose', 'destination', 'requester'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_codes_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_codes_code_hash'), ['code_hash'], unique=False)

    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_codes_destination_created')
    op.drop_table('sign_in_codes')
    with op.batch_alter_table('verification_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_codes_destination_created')
        batch_op.drop_index(batch_op.f('ix_verification_codes_draft_id'))
    op.drop_table('verification_codes')
    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_drafts_resume_token_hash'))
        batch_op.drop_column('resume_token_hash')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('possible_duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_possible_duplicate_of_id'), ['possible_duplicate_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_possible_duplicate_of_id_cases'), 'cases', ['possible_duplicate_of_id'], ['id'])

    # The outbox: a gate, and personalisation encrypted at rest.
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('personalisation_sealed', sa.Text(), nullable=True))
    connection = op.get_bind()
    encryption = _encryption()
    rows = connection.execute(sa.text('SELECT id, personalisation FROM outbox_notifications')).all()
    for row_id, plain in rows:
        value = plain if isinstance(plain, dict) else json.loads(plain or '{}')
        sealed = encryption.encrypt(json.dumps(value, separators=(',', ':'), sort_keys=True))
        connection.execute(
            sa.text('UPDATE outbox_notifications SET personalisation_sealed = :sealed WHERE id = :id'),
            {'sealed': sealed, 'id': row_id},
        )
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.drop_column('personalisation')
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.alter_column('personalisation_sealed', new_column_name='personalisation', existing_type=sa.Text(), nullable=False)

    op.execute("UPDATE contact_preferences SET value = lower(value) WHERE channel = 'email'")


def downgrade():
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personalisation_plain', sa.JSON(), nullable=True))
    connection = op.get_bind()
    encryption = _encryption()
    rows = connection.execute(sa.text('SELECT id, personalisation FROM outbox_notifications')).all()
    for row_id, sealed in rows:
        connection.execute(
            sa.text('UPDATE outbox_notifications SET personalisation_plain = :plain WHERE id = :id'),
            {'plain': encryption.decrypt(sealed), 'id': row_id},
        )
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.drop_column('personalisation')
        batch_op.drop_column('gate')
    with op.batch_alter_table('outbox_notifications', schema=None) as batch_op:
        batch_op.alter_column('personalisation_plain', new_column_name='personalisation', existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_possible_duplicate_of_id_cases'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_possible_duplicate_of_id'))
        batch_op.drop_column('possible_duplicate_of_id')

    with op.batch_alter_table('registration_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resume_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_registration_drafts_resume_token_hash'), ['resume_token_hash'], unique=False)
    op.create_table(
        'verification_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.String(length=36), nullable=False),
        sa.Column('channel', sa.Enum('email', 'sms', 'letter', name='code_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('destination', sa.String(length=254), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['draft_id'], ['registration_drafts.id'], name=op.f('fk_verification_codes_draft_id_registration_drafts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_codes')),
    )
    with op.batch_alter_table('verification_codes', schema=None) as batch_op:
        batch_op.create_index('ix_verification_codes_destination_created', ['destination', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_codes_draft_id'), ['draft_id'], unique=False)
    op.create_table(
        'sign_in_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.Enum('email', 'sms', 'letter', name='sign_in_code_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('destination', sa.String(length=254), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_codes')),
    )
    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_codes_destination_created', ['destination', 'created_at'], unique=False)
    op.drop_table('security_codes')

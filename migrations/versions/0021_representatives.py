"""representatives: someone a victim names to act for them, and who did what

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 09:00:00

- `representatives`: someone a victim named to act for them (a family member, a friend, a
  support worker), the email address or mobile number they sign in with (proved with a
  code before the row is made), the language of what is sent to them, what they may do
  (see the case, messages, requests), when and by whom it ended. One live representative
  for one detail for each victim (a partial unique index).
- `messages.representative_id`, `victim_request_steps.representative_id`,
  `timeline_events.representative_id`: what someone acting for the victim wrote, sent or
  did says so.
- `message_drafts.representative_id`: a representative's own draft; one draft for each
  victim and case (as before) and one for each representative and case (two partial
  unique indexes in place of the unique constraint).
- `security_codes.purpose` takes "representative": a victim proving the detail of someone
  to act for them.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

OLD_PURPOSES = ('sign-in', 'registration', 'resume', 'link', 'contact')
NEW_PURPOSES = (*OLD_PURPOSES, 'representative')


def _in(values) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        'representatives',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('victim_id', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column(
            'relation',
            _enum('representative_relation', 'family', 'friend', 'support', 'other'),
            nullable=False,
        ),
        sa.Column(
            'channel', _enum('representative_channel', 'email', 'sms', 'letter'), nullable=False
        ),
        sa.Column('destination', sa.String(length=254), nullable=False),
        sa.Column('language', _enum('representative_language', 'en', 'cy'), nullable=False),
        sa.Column('may_see_case', sa.Boolean(), nullable=False),
        sa.Column('may_message', sa.Boolean(), nullable=False),
        sa.Column('may_request', sa.Boolean(), nullable=False),
        sa.Column('proved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            'created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            'ended_by', _enum('representative_ended_by', 'staff', 'victim', 'system'),
            nullable=True,
        ),
        sa.Column('ended_by_officer_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['victim_id'], ['victims.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ended_by_officer_id'], ['victim_liaison_officers.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.create_index('ix_representatives_victim_id', ['victim_id'], unique=False)
        batch_op.create_index(
            'ix_representatives_destination', ['channel', 'destination'], unique=False
        )
        batch_op.create_index(
            'uq_representatives_live', ['victim_id', 'channel', 'destination'], unique=True,
            sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'),
        )

    for table in ('messages', 'victim_request_steps', 'timeline_events'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('representative_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f'fk_{table}_representative_id_representatives', 'representatives', ['representative_id'], ['id']
            )

    with op.batch_alter_table('message_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_message_drafts_representative_id_representatives', 'representatives', ['representative_id'],
            ['id'], ondelete='CASCADE',
        )
        batch_op.drop_constraint('uq_message_drafts_case_victim', type_='unique')
    with op.batch_alter_table('message_drafts', schema=None) as batch_op:
        batch_op.create_index(
            'uq_message_drafts_case_victim', ['case_id', 'victim_id'], unique=True,
            sqlite_where=sa.text('representative_id IS NULL'),
            postgresql_where=sa.text('representative_id IS NULL'),
        )
        batch_op.create_index(
            'uq_message_drafts_case_representative', ['case_id', 'representative_id'],
            unique=True,
            sqlite_where=sa.text('representative_id IS NOT NULL'),
            postgresql_where=sa.text('representative_id IS NOT NULL'),
        )

    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_constraint('code_purpose', type_='check')
        batch_op.create_check_constraint('code_purpose', f"purpose IN {_in(NEW_PURPOSES)}")


def downgrade():
    op.execute("DELETE FROM security_codes WHERE purpose = 'representative'")
    with op.batch_alter_table('security_codes', schema=None) as batch_op:
        batch_op.drop_constraint('code_purpose', type_='check')
        batch_op.create_check_constraint('code_purpose', f"purpose IN {_in(OLD_PURPOSES)}")

    op.execute("DELETE FROM message_drafts WHERE representative_id IS NOT NULL")
    with op.batch_alter_table('message_drafts', schema=None) as batch_op:
        batch_op.drop_index('uq_message_drafts_case_representative')
        batch_op.drop_index('uq_message_drafts_case_victim')
    with op.batch_alter_table('message_drafts', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_message_drafts_case_victim', ['case_id', 'victim_id'])
        batch_op.drop_constraint('fk_message_drafts_representative_id_representatives', type_='foreignkey')
        batch_op.drop_column('representative_id')

    for table in ('timeline_events', 'victim_request_steps', 'messages'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_representative_id_representatives', type_='foreignkey')
            batch_op.drop_column('representative_id')

    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.drop_index('uq_representatives_live')
        batch_op.drop_index('ix_representatives_destination')
        batch_op.drop_index('ix_representatives_victim_id')
    op.drop_table('representatives')

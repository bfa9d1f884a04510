"""victim requests: licence conditions, Victim Personal Statements, decision summaries

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 15:00:00

- `victim_requests`: a victim's request to their officer, one table for every kind
  (licence conditions, a Victim Personal Statement, the decision summary), with one
  status vocabulary; the answers encrypted at rest (EncryptedJSON); the language it was
  written in; the one-time key of the form that started it, unique on its case.
- `victim_request_steps`: each step (sent by the victim, moved on by an officer), who took
  it, the officer's words to the victim encrypted (EncryptedText), the notification it
  caused; one step per form key.
- `timeline_events.request_id`, and the timeline kind `request`: every step is on the
  case's timeline.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

#: The timeline's kinds before and after (0009 set the list this extends).
OLD_KINDS = ('stage', 'call', 'letter', 'message', 'note', 'meeting', 'handover', 'triage')
NEW_KINDS = (*OLD_KINDS, 'request')
STATUSES = (
    'draft', 'sent', 'considering', 'passed_on', 'decided', 'returned', 'summary_sent'
)
KINDS = ('licence_conditions', 'personal_statement', 'decision_summary')


def _in(values):
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        'victim_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum(KINDS, 'request_kind'), nullable=False),
        sa.Column('status', _enum(STATUSES, 'request_status'), nullable=False),
        sa.Column('answers', sa.Text(), nullable=False),
        sa.Column('language', _enum(('en', 'cy'), 'request_language'), nullable=False),
        sa.Column('submission_key', sa.String(length=36), nullable=True),
        sa.Column(
            'created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('summary_sent_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_victim_requests_case_id_cases')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_requests')),
        sa.UniqueConstraint(
            'case_id', 'submission_key', name='uq_victim_requests_case_submission'
        ),
    )
    op.create_index('ix_victim_requests_case_kind', 'victim_requests', ['case_id', 'kind'])
    op.create_table(
        'victim_request_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('status', _enum(STATUSES, 'request_step_status'), nullable=False),
        sa.Column(
            'actor_type', _enum(('staff', 'victim', 'system'), 'request_step_actor'),
            nullable=False,
        ),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('language', _enum(('en', 'cy'), 'request_step_language'), nullable=False),
        sa.Column('submission_key', sa.String(length=36), nullable=True),
        sa.Column('notification_id', sa.String(length=36), nullable=True),
        sa.Column(
            'created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ['request_id'], ['victim_requests.id'],
            name=op.f('fk_victim_request_steps_request_id_victim_requests'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['officer_id'], ['victim_liaison_officers.id'],
            name=op.f('fk_victim_request_steps_officer_id_victim_liaison_officers'),
        ),
        sa.ForeignKeyConstraint(
            ['notification_id'], ['outbox_notifications.id'],
            name=op.f('fk_victim_request_steps_notification_id_outbox_notifications'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_request_steps')),
        sa.UniqueConstraint(
            'request_id', 'submission_key', name='uq_victim_request_steps_request_submission'
        ),
    )
    op.create_index(
        'ix_victim_request_steps_request_created', 'victim_request_steps',
        ['request_id', 'created_at'],
    )
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_timeline_events_request_id_victim_requests'),
            'victim_requests', ['request_id'], ['id'],
        )
        batch_op.drop_constraint('timeline_kind', type_='check')
        batch_op.create_check_constraint('timeline_kind', f"kind IN {_in(NEW_KINDS)}")


def downgrade():
    op.execute("DELETE FROM timeline_events WHERE kind = 'request'")
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.drop_constraint('timeline_kind', type_='check')
        batch_op.create_check_constraint('timeline_kind', f"kind IN {_in(OLD_KINDS)}")
        batch_op.drop_constraint(
            batch_op.f('fk_timeline_events_request_id_victim_requests'), type_='foreignkey'
        )
        batch_op.drop_column('request_id')
    op.drop_index('ix_victim_request_steps_request_created', table_name='victim_request_steps')
    op.drop_table('victim_request_steps')
    op.drop_index('ix_victim_requests_case_kind', table_name='victim_requests')
    op.drop_table('victim_requests')

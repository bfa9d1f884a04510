"""staff console: triage, referrals, the timeline's staff side, an append-only audit

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 07:56:29

- `cases`: how the victim joined (online or a Witness Care Unit referral),
  the day the 20-working-day clock started (backfilled from when the case was
  made), the referral's day and unit, the first contact, who triaged it and
  when, a decline's reason and note, a second registration joined to the
  victim's existing case (status `merged`); indexes for the queues;
- `timeline_events`: an internal note staff see and the victim never does,
  the notification the entry caused; kinds `meeting`, `handover`, `triage`;
- `audit_events`: where the request came from; an index for one person's trail;
  triggers that refuse any UPDATE or DELETE of an audit row (and TRUNCATE on
  PostgreSQL), so the application cannot rewrite what staff did.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD_STATUSES = ('triage', 'active', 'paused', 'declined', 'closed')
NEW_STATUSES = (*OLD_STATUSES, 'merged')
OLD_KINDS = ('stage', 'call', 'letter', 'message', 'note')
NEW_KINDS = (*OLD_KINDS, 'meeting', 'handover', 'triage')

APPEND_ONLY_POSTGRESQL = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
"""

APPEND_ONLY_SQLITE = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END""",
)


def _in(values):
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _append_only(on: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        if on:
            op.execute(APPEND_ONLY_POSTGRESQL)
        else:
            op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
            op.execute("DROP TRIGGER audit_events_no_update_or_delete ON audit_events")
            op.execute("DROP FUNCTION audit_events_append_only()")
    elif dialect == 'sqlite':
        if on:
            for statement in APPEND_ONLY_SQLITE:
                op.execute(statement)
        else:
            op.execute("DROP TRIGGER audit_events_no_update")
            op.execute("DROP TRIGGER audit_events_no_delete")


def upgrade():
    # A batch on SQLite copies the table: do it before the triggers exist.
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
        batch_op.create_index('ix_audit_events_actor_created', ['actor_type', 'actor_id', 'created_at'], unique=False)
    _append_only(True)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Enum('online', 'referral', name='case_source', native_enum=False, create_constraint=True, length=32), server_default='online', nullable=False))
        batch_op.add_column(sa.Column('clock_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('referred_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('referred_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('first_contact_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('triaged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('triaged_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.Enum('sentence_too_short', 'offence_not_covered', 'case_not_found', 'not_eligible_person', 'other', name='decline_reason', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('decline_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
    op.execute("UPDATE cases SET clock_started_on = CAST(created_at AS DATE)"
               if op.get_bind().dialect.name == 'postgresql'
               else "UPDATE cases SET clock_started_on = date(created_at)")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('clock_started_on', existing_type=sa.Date(), nullable=False)
        batch_op.drop_constraint('case_status', type_='check')
        batch_op.create_check_constraint('case_status', f"status IN {_in(NEW_STATUSES)}")
        batch_op.create_index(batch_op.f('ix_cases_clock_started_on'), ['clock_started_on'], unique=False)
        batch_op.create_index('ix_cases_officer_status', ['officer_id', 'status'], unique=False)
        batch_op.create_index('ix_cases_region_status', ['region_id', 'status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_merged_into_id_cases'), 'cases', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cases_triaged_by_id_victim_liaison_officers'), 'victim_liaison_officers', ['triaged_by_id'], ['id'])

    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('internal_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('notification_id', sa.String(length=36), nullable=True))
        batch_op.drop_constraint('timeline_kind', type_='check')
        batch_op.create_check_constraint('timeline_kind', f"kind IN {_in(NEW_KINDS)}")
        batch_op.create_foreign_key(batch_op.f('fk_timeline_events_notification_id_outbox_notifications'), 'outbox_notifications', ['notification_id'], ['id'])


def downgrade():
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_timeline_events_notification_id_outbox_notifications'), type_='foreignkey')
        batch_op.drop_constraint('timeline_kind', type_='check')
        batch_op.create_check_constraint('timeline_kind', f"kind IN {_in(OLD_KINDS)}")
        batch_op.drop_column('notification_id')
        batch_op.drop_column('internal_note')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_triaged_by_id_victim_liaison_officers'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_merged_into_id_cases'), type_='foreignkey')
        batch_op.drop_index('ix_cases_region_status')
        batch_op.drop_index('ix_cases_officer_status')
        batch_op.drop_index(batch_op.f('ix_cases_clock_started_on'))
        batch_op.drop_constraint('case_status', type_='check')
        batch_op.create_check_constraint('case_status', f"status IN {_in(OLD_STATUSES)}")
        batch_op.drop_constraint('decline_reason', type_='check')
        batch_op.drop_constraint('case_source', type_='check')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('decline_note')
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('triaged_by_id')
        batch_op.drop_column('triaged_at')
        batch_op.drop_column('first_contact_on')
        batch_op.drop_column('referred_by')
        batch_op.drop_column('referred_on')
        batch_op.drop_column('clock_started_on')
        batch_op.drop_column('source')

    _append_only(False)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_actor_created')
        batch_op.drop_column('address')

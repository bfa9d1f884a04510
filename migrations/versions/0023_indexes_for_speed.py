"""indexes for speed: what EXPLAIN on PostgreSQL showed read every row

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 10:00:00

With 50,000 cases, 200,000 messages and 200,000 timeline entries, EXPLAIN ANALYZE of
every page's statements showed these reading a whole table:

- `cases (victim_id)`: a victim's every page finds their cases by victim (and signing
  in asks whether a contact detail's victim has an open case).
- `contact_preferences (victim_id)`: a case's contact details (staff case view, your
  data) are loaded by victim.
- `cases (region_id, status, clock_started_on)`: the officer's home lists the region's
  triage queue oldest first, a page of 50: found in order instead of filtered from
  every case by the clock's index.
- `timeline_events (notification_id)`: the manager's page joins this month's stage
  entries to the notifications they caused.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_victim_id', 'cases', ['victim_id'])
    op.create_index(
        'ix_cases_region_status_clock', 'cases', ['region_id', 'status', 'clock_started_on']
    )
    op.create_index('ix_contact_preferences_victim_id', 'contact_preferences', ['victim_id'])
    op.create_index('ix_timeline_events_notification', 'timeline_events', ['notification_id'])


def downgrade():
    op.drop_index('ix_timeline_events_notification', table_name='timeline_events')
    op.drop_index('ix_contact_preferences_victim_id', table_name='contact_preferences')
    op.drop_index('ix_cases_region_status_clock', table_name='cases')
    op.drop_index('ix_cases_victim_id', table_name='cases')

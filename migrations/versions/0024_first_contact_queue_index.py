"""the officer's cases waiting for first contact, found by an index of their own

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 16:40:00

At national scale (100,000 cases; `make bench`), the home page's "Waiting for you to
make first contact" read every case in clock order and kept the officer's few (101 ms
on PostgreSQL for an officer with 1,015 active cases). A partial index holds only
active cases without first contact, by officer and in clock order.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

WHERE = "status = 'active' AND first_contact_on IS NULL"


def upgrade():
    op.create_index(
        'ix_cases_awaiting_first_contact',
        'cases',
        ['officer_id', 'clock_started_on', 'id'],
        postgresql_where=sa.text(WHERE),
        sqlite_where=sa.text(WHERE),
    )


def downgrade():
    op.drop_index('ix_cases_awaiting_first_contact', table_name='cases')

"""retention: when a case was closed, and which cases and people were anonymised

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 10:00:00

- `cases.closed_at`: when the case was closed; the retention period runs from it. Cases
  already closed take their last change (`updated_at`) as the nearest thing known.
- `cases.anonymised_at`, `victims.anonymised_at`: when the retention rule
  (portal.services.retention) emptied them of everything personal, leaving the shell the
  manager's figures count.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_cases_status_closed', ['status', 'closed_at'], unique=False)
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE cases SET closed_at = updated_at WHERE status = 'closed'")


def downgrade():
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_closed')
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('closed_at')

"""caseload: indexes for the filters of the Cases page

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:00:00

- `victims (language)`: "prefers Welsh" picks a minority of victims, found through
  the index instead of reading every victim;
- `cases (region_id, stage)`: a stage of the sentence within a region (the region's
  cases by status already have `ix_cases_region_status`, an officer's
  `ix_cases_officer_status`).

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.create_index('ix_victims_language', ['language'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_region_stage', ['region_id', 'stage'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_region_stage')
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.drop_index('ix_victims_language')

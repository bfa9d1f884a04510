"""each region's Victim Liaison Unit name and address in English and Welsh

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 05:10:00.000000

The unit's name moves out of the address into its own columns, in both
languages, and the address gains a Welsh version. Existing rows get their
names from the region's names; the unit's name is taken out of the address,
and the Welsh address starts as a copy of it (the demo data's example words
in Welsh) for an officer to put into Welsh.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

UNIT_EN = "Victim Liaison Unit"
UNIT_CY = "Uned Cyswllt Dioddefwyr"
regions = sa.table(
    "regions",
    sa.column("id", sa.Integer),
    sa.column("name_en", sa.String),
    sa.column("name_cy", sa.String),
    sa.column("address", sa.Text),
    sa.column("unit_name_en", sa.String),
    sa.column("unit_name_cy", sa.String),
    sa.column("address_cy", sa.Text),
)


#: The demo data's example addresses (portal/demo.py) have a Welsh version; a real
#: address is copied for an officer to put into Welsh.
DEMO_WORDS = {"Example Street": "Stryd Enghreifftiol", "Example Town": "Tref Enghreifftiol"}


def in_welsh(address: str) -> str:
    for english, welsh in DEMO_WORDS.items():
        address = address.replace(english, welsh)
    return address


def without_unit_name(address: str) -> str:
    lines = address.splitlines()
    return "\n".join(lines[1:] if lines and lines[0].strip() == UNIT_EN else lines)


def upgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_name_en', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('unit_name_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('address_cy', sa.Text(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(regions.c.id, regions.c.name_en, regions.c.name_cy, regions.c.address)
    ).all()
    for row in rows:
        address = without_unit_name(row.address)
        connection.execute(
            regions.update()
            .where(regions.c.id == row.id)
            .values(
                unit_name_en=f"{row.name_en} {UNIT_EN}",
                unit_name_cy=f"{UNIT_CY} {row.name_cy}",
                address=address,
                address_cy=in_welsh(address),
            )
        )

    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.alter_column('unit_name_en', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('unit_name_cy', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('address_cy', existing_type=sa.Text(), nullable=False)


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(regions.c.id, regions.c.address)).all()
    for row in rows:
        connection.execute(
            regions.update()
            .where(regions.c.id == row.id)
            .values(address=f"{UNIT_EN}\n{row.address}")
        )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('address_cy')
        batch_op.drop_column('unit_name_cy')
        batch_op.drop_column('unit_name_en')

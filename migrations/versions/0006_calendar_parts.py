"""calendar parts: feed parts as last written, shared by every process

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 03:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_parts',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_calendar_parts'))
    )


def downgrade():
    op.drop_table('calendar_parts')

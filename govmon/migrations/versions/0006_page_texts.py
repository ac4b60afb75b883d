"""page texts (the visible text of crawled pages, personal numbers masked)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('page_texts',
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['pages.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_id')
    )
    with op.batch_alter_table('page_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_texts_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('page_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_texts_run_id'))
    op.drop_table('page_texts')

"""media checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 06:20:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('media_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('latest_at', sa.String(length=32), nullable=True),
    sa.Column('latest_title', sa.Text(), nullable=True),
    sa.Column('mirrors', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_checks', schema=None) as batch_op:
        batch_op.create_index('ix_media_checks_account_at', ['account_id', 'checked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_checks_site_id'), ['site_id'], unique=False)

    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_check_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_findings_media_check_id'), ['media_check_id'], unique=False)
        batch_op.create_foreign_key('fk_findings_media_check_id', 'media_checks', ['media_check_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_constraint('fk_findings_media_check_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_findings_media_check_id'))
        batch_op.drop_column('media_check_id')

    with op.batch_alter_table('media_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_checks_site_id'))
        batch_op.drop_index('ix_media_checks_account_at')

    op.drop_table('media_checks')

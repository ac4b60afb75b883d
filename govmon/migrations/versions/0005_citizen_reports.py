"""citizen reports (我为政府网站找错) and their cross-checks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('citizen_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('citizen_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_reports_site_id'), ['site_id'], unique=False)

    op.create_table('citizen_report_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('finding_identity', sa.String(length=40), nullable=True),
    sa.Column('finding_rule', sa.String(length=16), nullable=True),
    sa.Column('finding_first_seen', sa.DateTime(timezone=True), nullable=True),
    sa.Column('page_body', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['citizen_reports.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('citizen_report_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_report_checks_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('citizen_report_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_report_checks_report_id'))
    op.drop_table('citizen_report_checks')
    with op.batch_alter_table('citizen_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_reports_site_id'))
    op.drop_table('citizen_reports')

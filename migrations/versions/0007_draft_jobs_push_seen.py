"""console, second part: policy-draft impact as a background job (draft_jobs), a reviewer's
override carried into push-list entries (the engine's status beside the override's status,
amount, reason and reviewer; the engine's amount may then be none), and a firm notice's
seen_at / seen_by apart from its confirmation (read_at, set only on confirming, becomes seen_at).

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MONEY = sa.Numeric(precision=18, scale=2)


def upgrade() -> None:
    op.create_table('draft_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_path', sa.String(length=500), nullable=False),
    sa.Column('replaces', sa.String(length=300), nullable=True),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('district', sa.String(length=32), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('files', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('running', 'complete', 'failed')",
                       name=op.f('ck_draft_jobs_status')),
    sa.CheckConstraint("scope IN ('all', 'district', 'run')", name=op.f('ck_draft_jobs_scope')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_draft_jobs_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_jobs'))
    )
    with op.batch_alter_table('push_entries') as batch_op:
        batch_op.alter_column('amount', existing_type=MONEY, nullable=True)
        batch_op.add_column(sa.Column('engine_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('override_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('override_amount', MONEY, nullable=True))
        batch_op.add_column(sa.Column('override_reason', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('override_by', sa.String(length=100), nullable=True))
    # Entries made before were the engine's eligible decisions, all of them.
    op.execute("UPDATE push_entries SET engine_status = 'eligible'")
    with op.batch_alter_table('firm_notices') as batch_op:
        batch_op.alter_column('read_at', new_column_name='seen_at',
                              existing_type=sa.DateTime(timezone=True), existing_nullable=True)
        batch_op.add_column(sa.Column('seen_by', sa.String(length=100), nullable=True))
    op.execute("UPDATE firm_notices SET seen_by = confirmed_by WHERE seen_at IS NOT NULL")


def downgrade() -> None:
    """Drops the draft jobs (their files stay in the instance folder) and the override and
    seen_by columns; an entry listed only by an override keeps the override's amount as its
    amount (the column is required again), and seen_at is read_at again."""
    with op.batch_alter_table('firm_notices') as batch_op:
        batch_op.drop_column('seen_by')
        batch_op.alter_column('seen_at', new_column_name='read_at',
                              existing_type=sa.DateTime(timezone=True), existing_nullable=True)
    op.execute("UPDATE push_entries SET amount = override_amount WHERE amount IS NULL")
    op.execute("DELETE FROM push_entries WHERE amount IS NULL")
    with op.batch_alter_table('push_entries') as batch_op:
        batch_op.drop_column('override_by')
        batch_op.drop_column('override_reason')
        batch_op.drop_column('override_amount')
        batch_op.drop_column('override_status')
        batch_op.drop_column('engine_status')
        batch_op.alter_column('amount', existing_type=MONEY, nullable=False)
    op.drop_table('draft_jobs')

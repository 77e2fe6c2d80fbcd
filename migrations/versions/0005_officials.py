"""officials at scale: reviewers' actions beside decisions, sign-off comments, 免申即享 push lists
with their entries and the notices firms receive, where each profile version came from, disabled
users, and the indexes a search over 100,000 companies needs.

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _trigram_schema() -> str | None:
    """The schema of pg_trgm, installed if it can be (it is a trusted extension since
    PostgreSQL 13); None when it cannot, and the name index is then a plain one."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except sa.exc.DBAPIError:
        return None
    return bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()


def _company_indexes() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        with op.batch_alter_table('companies') as batch_op:
            batch_op.create_index('ix_companies_name_trgm', ['name'], unique=False)
            batch_op.create_index('ix_companies_code_pattern', ['credit_code'], unique=False)
        return
    schema = _trigram_schema()
    if schema is not None:
        op.execute(f'CREATE INDEX ix_companies_name_trgm ON companies USING gin '
                   f'(name "{schema}".gin_trgm_ops)')
    else:
        op.create_index('ix_companies_name_trgm', 'companies', ['name'], unique=False)
    op.execute('CREATE INDEX ix_companies_code_pattern ON companies '
               '(credit_code varchar_pattern_ops)')


def upgrade() -> None:
    _company_indexes()
    with op.batch_alter_table('profiles') as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=300), nullable=True))
    with op.batch_alter_table('run_profiles') as batch_op:
        batch_op.create_index('ix_run_profiles_profile_id', ['profile_id'], unique=False)
    with op.batch_alter_table('run_signoffs') as batch_op:
        batch_op.add_column(sa.Column('comment', sa.String(length=2000), nullable=True))
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('decision_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('override_status', sa.String(length=20), nullable=True),
    sa.Column('override_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('comment', 'override', 'request_materials')",
                       name=op.f('ck_decision_reviews_action')),
    sa.CheckConstraint("text <> ''", name=op.f('ck_decision_reviews_text')),
    sa.CheckConstraint("action <> 'override' OR override_status IS NOT NULL",
                       name=op.f('ck_decision_reviews_override')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                            name=op.f('fk_decision_reviews_profile_id_profiles')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_decision_reviews_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_reviews'))
    )
    with op.batch_alter_table('decision_reviews') as batch_op:
        batch_op.create_index('ix_decision_reviews_run_id_profile_id', ['run_id', 'profile_id'],
                              unique=False)
    op.create_table('push_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=32), nullable=True),
    sa.Column('items', sa.JSON(), nullable=True),
    sa.Column('confirm_by', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=100), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_push_lists_status')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_push_lists_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_lists'))
    )
    with op.batch_alter_table('push_lists') as batch_op:
        batch_op.create_index(batch_op.f('ix_push_lists_run_id'), ['run_id'], unique=False)
    op.create_table('push_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('company_code', sa.String(length=18), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('excluded', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('exclude_reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['company_code'], ['companies.credit_code'],
                            name=op.f('fk_push_entries_company_code_companies')),
    sa.ForeignKeyConstraint(['list_id'], ['push_lists.id'],
                            name=op.f('fk_push_entries_list_id_push_lists')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                            name=op.f('fk_push_entries_profile_id_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_entries')),
    sa.UniqueConstraint('list_id', 'profile_id', 'item_id',
                        name=op.f('uq_push_entries_list_id_profile_id_item_id'))
    )
    with op.batch_alter_table('push_entries') as batch_op:
        batch_op.create_index(batch_op.f('ix_push_entries_list_id'), ['list_id'], unique=False)
    op.create_table('firm_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_code', sa.String(length=18), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('message', sa.JSON(), nullable=False),
    sa.Column('confirm_by', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['company_code'], ['companies.credit_code'],
                            name=op.f('fk_firm_notices_company_code_companies')),
    sa.ForeignKeyConstraint(['list_id'], ['push_lists.id'],
                            name=op.f('fk_firm_notices_list_id_push_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_firm_notices')),
    sa.UniqueConstraint('company_code', 'list_id', name=op.f('uq_firm_notices_company_code_list_id'))
    )
    with op.batch_alter_table('firm_notices') as batch_op:
        batch_op.create_index(batch_op.f('ix_firm_notices_company_code'), ['company_code'],
                              unique=False)


def downgrade() -> None:
    """Drops what 0005 added; pg_trgm stays installed (other schemas may use it)."""
    with op.batch_alter_table('firm_notices') as batch_op:
        batch_op.drop_index(batch_op.f('ix_firm_notices_company_code'))
    op.drop_table('firm_notices')
    with op.batch_alter_table('push_entries') as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_entries_list_id'))
    op.drop_table('push_entries')
    with op.batch_alter_table('push_lists') as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_lists_run_id'))
    op.drop_table('push_lists')
    with op.batch_alter_table('decision_reviews') as batch_op:
        batch_op.drop_index('ix_decision_reviews_run_id_profile_id')
    op.drop_table('decision_reviews')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('disabled_at')
    with op.batch_alter_table('run_signoffs') as batch_op:
        batch_op.drop_column('comment')
    with op.batch_alter_table('run_profiles') as batch_op:
        batch_op.drop_index('ix_run_profiles_profile_id')
    with op.batch_alter_table('profiles') as batch_op:
        batch_op.drop_column('origin')
    with op.batch_alter_table('companies') as batch_op:
        batch_op.drop_index('ix_companies_code_pattern')
        batch_op.drop_index('ix_companies_name_trgm')

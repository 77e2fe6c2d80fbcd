"""the firm's account remembers: the last check of each saved profile version (rules version,
as-of date, each item's compact outcome) and the changes re-checks found, until a user of the
company marks them seen.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('profile_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status_before', sa.String(length=20), nullable=True),
    sa.Column('status_after', sa.String(length=20), nullable=True),
    sa.Column('amount_before', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('amount_after', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('ceiling_before', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('ceiling_after', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('catalog_before', sa.String(length=64), nullable=False),
    sa.Column('catalog_after', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seen_by', sa.String(length=100), nullable=True),
    sa.CheckConstraint("kind IN ('new', 'lost', 'amount')", name=op.f('ck_profile_changes_kind')),
    sa.ForeignKeyConstraint(['catalog_after'], ['catalogs.hash'], name=op.f('fk_profile_changes_catalog_after_catalogs')),
    sa.ForeignKeyConstraint(['catalog_before'], ['catalogs.hash'], name=op.f('fk_profile_changes_catalog_before_catalogs')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_changes_profile_id_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_changes'))
    )
    with op.batch_alter_table('profile_changes', schema=None) as batch_op:
        batch_op.create_index('ix_profile_changes_profile_id_seen_at', ['profile_id', 'seen_at'], unique=False)
    op.create_table('profile_checks',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('catalog_hash', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['catalog_hash'], ['catalogs.hash'], name=op.f('fk_profile_checks_catalog_hash_catalogs')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_checks_profile_id_profiles')),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_profile_checks'))
    )


def downgrade() -> None:
    op.drop_table('profile_checks')
    with op.batch_alter_table('profile_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_profile_changes_profile_id_seen_at')
    op.drop_table('profile_changes')

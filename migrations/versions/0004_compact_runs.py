"""compact runs: decisions keep status, amount, flags and criterion outcomes; the decisions that
are the same for every applicant are stored once per run (run_items); explanations are rebuilt
from the stored rules (catalogs.sources). Explanations of runs made before are kept as they were
(decision_explanations): the rules those runs used were not stored.

Revision ID: 0004
Revises: 0003
"""
import json
from typing import Any, Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATIC = ('not_in_force', 'not_assessable')
LETTER = {'pass': 'p', 'fail': 'f', 'unknown': 'u'}
BATCH = 1000


def _json(value: Any) -> Any:
    """A JSON column's value as Python: drivers give text (SQLite) or parsed JSON (PostgreSQL)."""
    return json.loads(value) if isinstance(value, str) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(',', ':'))


def _shell(explanation: dict[str, Any]) -> dict[str, Any]:
    """What an item's decision says before anything about the applicant is decided."""
    return {**explanation, 'status': 'undetermined', 'criteria': [], 'logic': None, 'missing': [],
            'amount': None, 'amount_is_ceiling': False, 'reason': None, 'stacking': None}


def upgrade() -> None:
    with op.batch_alter_table('catalogs') as batch_op:
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=True))
    with op.batch_alter_table('runs') as batch_op:
        batch_op.add_column(sa.Column('firms', sa.JSON(), nullable=True))
    with op.batch_alter_table('run_profiles') as batch_op:
        batch_op.add_column(sa.Column('done', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table('run_items',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.SmallInteger(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('static', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_run_items_run_id_runs')),
    sa.PrimaryKeyConstraint('run_id', 'code', name=op.f('pk_run_items')),
    sa.UniqueConstraint('run_id', 'item_id', name=op.f('uq_run_items_run_id_item_id'))
    )
    op.create_table('decision_explanations',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                            name=op.f('fk_decision_explanations_decision_id_decisions')),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_decision_explanations'))
    )
    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('fmt', sa.String(length=8), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=300), nullable=True),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('running', 'complete', 'failed')",
                       name=op.f('ck_export_jobs_status')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_export_jobs_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    with op.batch_alter_table('export_jobs') as batch_op:
        batch_op.create_index(batch_op.f('ix_export_jobs_run_id'), ['run_id'], unique=False)
    with op.batch_alter_table('decisions') as batch_op:
        batch_op.add_column(sa.Column('item', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('receivable', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('outcomes', sa.String(), nullable=True))
    _convert_runs()
    with op.batch_alter_table('decisions') as batch_op:
        batch_op.drop_constraint('uq_decisions_run_id_profile_id_item_id', type_='unique')
        batch_op.drop_index('ix_decisions_run_id_item_status')
        batch_op.drop_index('ix_decisions_profile_id')
        batch_op.drop_column('explanation')
        batch_op.drop_column('item_id')
        batch_op.alter_column('item', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.alter_column('outcomes', existing_type=sa.String(), nullable=False)
        batch_op.create_unique_constraint('uq_decisions_run_id_profile_id_item',
                                          ['run_id', 'profile_id', 'item'])
        batch_op.create_index('ix_decisions_run_id_item_status', ['run_id', 'item', 'status'])


def _convert_runs() -> None:
    """Every stored decision becomes compact, keeping its explanation in decision_explanations;
    the not-in-force and not-assessable ones go to run_items, once per run and item."""
    bind = op.get_bind()
    runs = bind.execute(sa.text('SELECT runs.id, catalogs.content FROM runs '
                                'JOIN catalogs ON catalogs.hash = runs.catalog_hash')).all()
    for run_id, content in runs:
        order = list(_json(content)['items'])
        codes: dict[str, int] = {}
        last = 0
        while True:
            rows = bind.execute(sa.text(
                'SELECT id, item_id, status, explanation FROM decisions '
                'WHERE run_id = :run AND id > :last ORDER BY id LIMIT :n'),
                {'run': run_id, 'last': last, 'n': BATCH}).all()
            if not rows:
                break
            last = rows[-1][0]
            _convert_batch(bind, run_id, order, codes, rows)
    bind.execute(sa.text(
        'UPDATE run_profiles SET done = :yes WHERE EXISTS (SELECT 1 FROM decisions d WHERE '
        'd.run_id = run_profiles.run_id AND d.profile_id = run_profiles.profile_id) OR EXISTS '
        '(SELECT 1 FROM run_errors e WHERE e.run_id = run_profiles.run_id AND '
        'e.profile_id = run_profiles.profile_id)'), {'yes': True})
    # Applicants whose every decision was static keep no decision row: they are done all the same.
    bind.execute(sa.text(
        'UPDATE run_profiles SET done = :yes WHERE EXISTS (SELECT 1 FROM runs r WHERE '
        'r.id = run_profiles.run_id AND r.status = :complete)'), {'yes': True, 'complete': 'complete'})
    bind.execute(sa.text('DELETE FROM decisions WHERE item IS NULL'))


def _convert_batch(bind: Any, run_id: int, order: list[str], codes: dict[str, int],
                   rows: list[Any]) -> None:
    legacy, updates = [], []
    for decision_id, item_id, status, explanation in rows:
        explanation = _json(explanation)
        if item_id not in codes:
            if item_id not in order:
                order.append(item_id)
            codes[item_id] = order.index(item_id)
            bind.execute(sa.text(
                'INSERT INTO run_items (run_id, code, item_id, static, decision) '
                'VALUES (:run, :code, :item, :static, :decision)'),
                {'run': run_id, 'code': codes[item_id], 'item': item_id,
                 'static': status in STATIC,
                 'decision': _dumps(explanation if status in STATIC else _shell(explanation))})
        if status in STATIC:
            continue  # left with item NULL: deleted once the run is converted
        stacking = explanation.get('stacking')
        updates.append({'id': decision_id, 'item': codes[item_id],
                        'receivable': None if stacking is None else bool(stacking['receivable']),
                        'outcomes': ''.join(LETTER[c['status']] for c in explanation['criteria'])})
        legacy.append({'id': decision_id, 'explanation': _dumps(explanation)})
    if updates:
        bind.execute(sa.text('UPDATE decisions SET item = :item, receivable = :receivable, '
                             'outcomes = :outcomes WHERE id = :id'), updates)
        bind.execute(sa.text('INSERT INTO decision_explanations (decision_id, explanation) '
                             'VALUES (:id, :explanation)'), legacy)


def downgrade() -> None:
    with op.batch_alter_table('decisions') as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('explanation', sa.JSON(), nullable=True))
    _expand_runs()
    with op.batch_alter_table('decisions') as batch_op:
        batch_op.drop_constraint('uq_decisions_run_id_profile_id_item', type_='unique')
        batch_op.drop_index('ix_decisions_run_id_item_status')
        batch_op.drop_column('outcomes')
        batch_op.drop_column('receivable')
        batch_op.drop_column('item')
        batch_op.alter_column('item_id', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('explanation', existing_type=sa.JSON(), nullable=False)
        batch_op.create_unique_constraint('uq_decisions_run_id_profile_id_item_id',
                                          ['run_id', 'profile_id', 'item_id'])
        batch_op.create_index('ix_decisions_run_id_item_status', ['run_id', 'item_id', 'status'])
        batch_op.create_index('ix_decisions_profile_id', ['profile_id'])
    op.drop_table('decision_explanations')
    op.drop_table('run_items')
    op.drop_table('export_jobs')
    with op.batch_alter_table('run_profiles') as batch_op:
        batch_op.drop_column('done')
    with op.batch_alter_table('runs') as batch_op:
        batch_op.drop_column('firms')
    with op.batch_alter_table('catalogs') as batch_op:
        batch_op.drop_column('sources')


def _expand_runs() -> None:
    """Every decision gets its full explanation back: kept ones from decision_explanations, the
    others rebuilt by the engine from the stored rules; static decisions are repeated for every
    applicant decided, as they were stored before."""
    bind = op.get_bind()
    bind.execute(sa.text(
        'UPDATE decisions SET item_id = (SELECT i.item_id FROM run_items i WHERE '
        'i.run_id = decisions.run_id AND i.code = decisions.item)'))
    bind.execute(sa.text(
        'UPDATE decisions SET explanation = (SELECT x.explanation FROM decision_explanations x '
        'WHERE x.decision_id = decisions.id)'))
    runs = bind.execute(sa.text('SELECT id FROM runs ORDER BY id')).scalars().all()
    for run_id in runs:
        _rebuild_missing(bind, run_id)
        statics = bind.execute(sa.text(
            'SELECT code, item_id, decision FROM run_items WHERE run_id = :run AND static = :yes '
            'ORDER BY code'), {'run': run_id, 'yes': True}).all()
        if not statics:
            continue
        # Decided applicants, in run order; errors were never given decisions.
        profiles = bind.execute(sa.text(
            'SELECT p.profile_id FROM run_profiles p WHERE p.run_id = :run AND p.done = :yes AND '
            'NOT EXISTS (SELECT 1 FROM run_errors e WHERE e.run_id = p.run_id AND '
            'e.profile_id = p.profile_id) ORDER BY p.position'),
            {'run': run_id, 'yes': True}).scalars().all()
        for start in range(0, len(profiles), BATCH):
            bind.execute(sa.text(
                'INSERT INTO decisions (run_id, profile_id, item_id, status, amount, '
                'amount_is_ceiling, explanation, item, outcomes) VALUES (:run, :profile, :item_id, '
                ':status, NULL, :no, :explanation, :code, :empty)'),
                [{'run': run_id, 'profile': pid, 'item_id': item_id,
                  'status': _json(decision)['status'], 'no': False,
                  'explanation': _dumps(_json(decision)), 'code': code, 'empty': ''}
                 for pid in profiles[start:start + BATCH] for code, item_id, decision in statics])


def _rebuild_missing(bind: Any, run_id: int) -> None:
    """Explanations of a compact run, rebuilt by the engine from the run's stored rules."""
    missing = bind.execute(sa.text(
        'SELECT d.id, d.profile_id, d.item_id FROM decisions d WHERE d.run_id = :run AND '
        'd.explanation IS NULL ORDER BY d.profile_id, d.id'), {'run': run_id}).all()
    if not missing:
        return
    from engine.store.rebuild import rebuild_for_downgrade  # the engine, only when needed

    run = bind.execute(sa.text(
        'SELECT runs.as_of, runs.items, catalogs.sources FROM runs JOIN catalogs ON '
        'catalogs.hash = runs.catalog_hash WHERE runs.id = :run'), {'run': run_id}).one()
    profile_ids = sorted({pid for _, pid, _ in missing})
    data = {}
    for start in range(0, len(profile_ids), BATCH):
        chunk = profile_ids[start:start + BATCH]
        data.update(bind.execute(sa.select(sa.column('id'), sa.column('data')).select_from(
            sa.table('profiles')).where(sa.column('id').in_(chunk))).all())
    rebuilt = rebuild_for_downgrade(
        _json(run.sources), run.as_of, _json(run.items),
        {pid: _json(value) for pid, value in data.items()})
    bind.execute(sa.text('UPDATE decisions SET explanation = :explanation WHERE id = :id'),
                 [{'id': decision_id, 'explanation': _dumps(rebuilt[pid][item_id])}
                  for decision_id, pid, item_id in missing])

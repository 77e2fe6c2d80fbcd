"""Migration 0007 up and down with data: a push list with an override carried into it
(an entry the engine did not list, so with no engine amount), a notice seen and confirmed, a
draft job. Down keeps every entry (the override's amount becomes the amount), read_at holds what
seen_at held, and the draft jobs go; up again gives back the columns, empty where 0007 adds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from sqlalchemy import Engine as Database
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from engine.store.draft_jobs import start_draft_job
from engine.store.migrate import downgrade, upgrade
from engine.store.models import DecisionRow, FirmNotice, PushEntry
from engine.store.notices import confirm_notice, mark_notices_seen
from engine.store.push_lists import create_push_list, publish_push_list
from engine.store.results import run_item_ids
from engine.store.reviews import add_review

from .test_screening import AS_OF


def test_migration_0007_goes_down_and_up_keeping_every_entry_and_notice(
        db: Database, cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    cli("screen", applicants(30), "--as-of", AS_OF, "--workers", "0")
    with sessions() as session:
        row = session.scalars(select(DecisionRow).where(DecisionRow.status == "ineligible")
                              .order_by(DecisionRow.id)).first()
        item = run_item_ids(session, 1)[row.item]
        add_review(session, 1, row.profile_id, item, "override", "补充材料后核定", "张审核",
                   override_status="eligible", override_amount="40000")
        push = create_push_list(session, 1, "王科员")
        session.flush()
        carried = session.scalars(select(PushEntry).where(PushEntry.amount.is_(None))).one()
        publish_push_list(session, push.id, "赵科长")
        code = carried.company_code
        mark_notices_seen(session, code, "firm")
        notice = session.scalars(select(FirmNotice).where(FirmNotice.company_code == code)).one()
        confirm_notice(session, notice.id, code, "firm")
        seen_at = notice.seen_at
        start_draft_job(session, tmp_path / "st_fund.yaml", scope="all", by="x",
                        as_of=dt.date.fromisoformat(AS_OF))
        session.commit()
        entries = session.scalar(text("SELECT count(*) FROM push_entries"))

    downgrade(db, "0006")
    assert "draft_jobs" not in set(inspect(db).get_table_names())
    assert "override_amount" not in {c["name"] for c in inspect(db).get_columns("push_entries")}
    assert {"read_at"} <= {c["name"] for c in inspect(db).get_columns("firm_notices")}
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM push_entries")).scalar() == entries
        assert conn.execute(text("SELECT amount FROM push_entries WHERE id = :id"),
                            {"id": carried.id}).scalar() == 40000
        assert conn.execute(text("SELECT count(*) FROM firm_notices WHERE read_at IS NOT NULL"
                                 )).scalar() == 1

    upgrade(db)
    with sessions() as session:
        back = session.get(FirmNotice, notice.id)
        assert back.seen_at == seen_at and back.seen_by == "firm"  # seen_by from confirmed_by
        entry = session.get(PushEntry, carried.id)
        assert (entry.amount, entry.engine_status, entry.override_amount) == (40000, "eligible", None)
        assert session.scalar(text("SELECT count(*) FROM draft_jobs")) == 0

"""Migration 0005 up and down with data in the tables it touches: a run with a review, a signed-
off comment, a published push list and a disabled user; down keeps every run and decision (and
their export) and removes only what 0005 added; up again gives an empty, working schema."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from sqlalchemy import Engine as Database
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from engine.store.accounts import admin_create_user, set_user_disabled
from engine.store.migrate import downgrade, upgrade
from engine.store.models import DecisionRow, ProfileVersion
from engine.store.push_lists import create_push_list, publish_push_list
from engine.store.results import run_item_ids
from engine.store.reviews import add_review, reviews_of
from engine.store.run_export import export_table
from engine.store.runs import get_run
from engine.store.signoffs import sign_off, signoff_of

from .test_screening import AS_OF

ADDED = {"decision_reviews", "push_lists", "push_entries", "firm_notices"}


def _csv(sessions: sessionmaker[Session]) -> bytes:
    out = io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "csv", out, actor="test")
        session.rollback()  # no audit entry: the tables must compare equal down and up
    return out.getvalue()


def test_migration_0005_goes_down_and_up_keeping_every_run(
        db: Database, cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(30), "--as-of", AS_OF, "--workers", "0")  # 7 eligible
    with sessions() as session:
        row = session.scalars(select(DecisionRow).where(DecisionRow.status == "eligible")
                              .order_by(DecisionRow.id)).first()
        item = run_item_ids(session, 1)[row.item]
        add_review(session, 1, row.profile_id, item, "comment", "请核实", "张审核")
        create_push_list(session, 1, "王科员")
        session.flush()
        publish_push_list(session, 1, "赵科长")
        admin_create_user(session, "admin", "admin-password", "admin", by="setup")
        admin_create_user(session, "wang", "wang-password", "official", by="admin")
        set_user_disabled(session, "wang", True, by="admin")
        sign_off(session, get_run(session, 1), "赵科长", comment="同意")
        session.commit()
    before = _csv(sessions)
    assert "请核实".encode() in before

    downgrade(db, "0004")
    tables = set(inspect(db).get_table_names())
    assert not ADDED & tables and {"runs", "decisions", "run_signoffs", "users"} <= tables
    assert "origin" not in {c["name"] for c in inspect(db).get_columns("profiles")}
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM run_signoffs")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM decisions")).scalar() > 0

    upgrade(db)
    with sessions() as session:
        assert signoff_of(session, 1).comment is None  # the comment went with its column
        assert reviews_of(session, 1, row.profile_id) == []
        assert session.scalar(select(ProfileVersion.origin)) is None
    after = _csv(sessions)
    assert "请核实".encode() not in after and after.count(b"\n") == before.count(b"\n")

"""Users without the CLI: an admin creates, disables, re-enables users, resets a password and
sets a role; each change is audited (never the password) and ends the user's sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import SubsidyError
from engine.store.accounts import (
    admin_create_user,
    authenticate,
    create_token,
    list_users,
    reset_password,
    set_role,
    set_user_disabled,
    user_for_token,
)
from engine.store.models import AuditEntry, Company

CODE = "91440300MA5F3K7L04"


@pytest.fixture
def users(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions() as session:
        session.add(Company(credit_code=CODE, name="深圳市福田启明智能科技有限公司"))
        admin_create_user(session, "admin", "admin-password", "admin", by="setup")
        admin_create_user(session, "wang", "wang-password", "official", by="admin")
        session.commit()
    return sessions


def _actions(session: Session) -> list[tuple[str, str, str | None]]:
    return [(e.actor, e.action, e.target) for e in session.scalars(
        select(AuditEntry).order_by(AuditEntry.id))]


def test_a_disabled_user_cannot_log_in_or_use_a_token_until_enabled(
        users: sessionmaker[Session]) -> None:
    with users() as session:
        wang = authenticate(session, "wang", "wang-password")
        assert wang is not None
        token = create_token(session, wang, "laptop")
        version = wang.session_version
        set_user_disabled(session, "wang", True, by="admin")
        session.commit()
        assert authenticate(session, "wang", "wang-password") is None
        assert user_for_token(session, token) is None
        assert wang.session_version == version + 1
        set_user_disabled(session, "wang", False, by="admin")
        session.commit()
        assert authenticate(session, "wang", "wang-password") is not None
        assert user_for_token(session, token) is not None
        assert _actions(session)[-2:] == [("admin", "user_disable", "user wang"),
                                          ("admin", "user_enable", "user wang")]


def test_an_admin_cannot_lock_themselves_or_the_last_admin_out(users: sessionmaker[Session]) -> None:
    with users() as session:
        with pytest.raises(SubsidyError, match="yourself"):
            set_user_disabled(session, "admin", True, by="admin")
        with pytest.raises(SubsidyError, match="last admin"):
            set_user_disabled(session, "admin", True, by="wang")
        with pytest.raises(SubsidyError, match="last admin"):
            set_role(session, "admin", "official", by="wang")
        admin_create_user(session, "li", "li-password", "admin", by="admin")
        set_user_disabled(session, "admin", True, by="li")
        assert [u.username for u in list_users(session, "admin")] == ["admin", "li"]


def test_a_reset_password_replaces_the_old_one_and_is_logged_without_it(
        users: sessionmaker[Session]) -> None:
    with users() as session:
        with pytest.raises(SubsidyError, match="at least 8"):
            reset_password(session, "wang", "short", by="admin")
        reset_password(session, "wang", "new-password-1", by="admin")
        session.commit()
        assert authenticate(session, "wang", "wang-password") is None
        assert authenticate(session, "wang", "new-password-1") is not None
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "user_password_reset")).one()
        assert "new-password-1" not in str(entry.details) and entry.actor == "admin"
        with pytest.raises(SubsidyError, match="no user"):
            reset_password(session, "nobody", "whatever-long", by="admin")


def test_a_role_change_names_the_company_of_a_firm_user(users: sessionmaker[Session]) -> None:
    with users() as session:
        with pytest.raises(SubsidyError, match="needs a company"):
            set_role(session, "wang", "firm", by="admin")
        with pytest.raises(SubsidyError, match="role must be one of"):
            set_role(session, "wang", "boss", by="admin")
        user = set_role(session, "wang", "firm", by="admin", company_code=CODE)
        assert (user.role, user.company_code) == ("firm", CODE)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user_role")).one()
        assert entry.details == {"before": "official", "role": "firm", "company": CODE}
        with pytest.raises(SubsidyError, match="exists"):
            admin_create_user(session, "wang", "another-password", "official", by="admin")

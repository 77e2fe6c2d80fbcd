"""Accounts: users with scrypt password hashes, API tokens stored as hashes, failed logins.

Passwords use werkzeug's scrypt (memory-hard, salted); checking a password for an unknown user
still spends one hash so that response times do not tell which usernames exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, func, insert, literal, select, text
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.errors import SubsidyError

from .base import utcnow
from .models import ROLES, ApiToken, LoginFailure, User

_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def create_user(session: Session, username: str, password: str, role: str,
                company_code: str | None = None) -> User:
    """A new user; a firm user must name its company, others must not."""
    if role not in ROLES:
        raise SubsidyError(f"role must be one of {', '.join(ROLES)}", role=role)
    if (role == "firm") != (company_code is not None):
        raise SubsidyError("a firm user needs a company, officials and admins have none", role=role)
    user = User(username=username, password_hash=hash_password(password), role=role,
                company_code=company_code)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right, else None (same work either way)."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def recent_failures(session: Session, username: str, ip: str, window: dt.timedelta) -> int:
    since = utcnow() - window
    return session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == username, LoginFailure.ip == ip, LoginFailure.at >= since)) or 0


def reserve_attempt(session: Session, username: str, ip: str, window: dt.timedelta,
                    limit: int) -> bool:
    """Count this login attempt as a failure before the password is checked, unless the pair
    already has `limit` failures in the window; True when the attempt may go on.

    One INSERT .. SELECT .. WHERE count < limit: checking and counting cannot interleave between
    parallel requests (SQLite runs it under its write lock; on PostgreSQL a transaction-level
    advisory lock on the pair serialises them, and the INSERT's snapshot is taken after it). The
    caller commits; a successful login then clears the pair (clear_failures).
    """
    username, ip = username[:64], ip[:64]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"login:{username}:{ip}"})
    recent = (select(func.count()).select_from(LoginFailure)
              .where(LoginFailure.username == username, LoginFailure.ip == ip,
                     LoginFailure.at >= utcnow() - window).scalar_subquery())
    now = utcnow()
    chosen = select(literal(username), literal(ip), literal(now, LoginFailure.at.type)).where(
        recent < limit)
    # RETURNING, not rowcount: PostgreSQL's driver reports -1 rows for INSERT .. SELECT, which
    # once let every attempt through there (tests/store/test_races.py).
    inserted = session.execute(insert(LoginFailure).from_select(["username", "ip", "at"], chosen)
                               .returning(LoginFailure.id))
    return inserted.first() is not None


def record_failure(session: Session, username: str, ip: str) -> None:
    session.add(LoginFailure(username=username[:64], ip=ip[:64]))


def clear_failures(session: Session, username: str, ip: str, older_than: dt.timedelta) -> None:
    """After a successful login: forget this pair's failures, and everyone's stale ones."""
    session.execute(delete(LoginFailure).where(
        (LoginFailure.username == username) & (LoginFailure.ip == ip)
        | (LoginFailure.at < utcnow() - older_than)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, label: str) -> str:
    """A new API token for `user`; returns the token itself, which is stored only as its hash."""
    token = "sk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), label=label[:100]))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user an unrevoked token belongs to, else None."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token),
                                                ApiToken.revoked_at.is_(None)))
    return None if row is None else session.get(User, row.user_id)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True

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

from . import audit
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
    right = check_password_hash(user.password_hash, password)
    return user if right and user.disabled_at is None else None


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
    user = None if row is None else session.get(User, row.user_id)
    return None if user is None or user.disabled_at is not None else user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


# Admin functions (the console's user pages): each audited in the caller's transaction, each
# ending the user's sessions where it changes what they may do.
PASSWORD_MIN = 8


def _user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise SubsidyError(f"没有用户 {username} no user {username}", user=username)
    return user


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise SubsidyError(f"密码至少{PASSWORD_MIN}位 a password has at least {PASSWORD_MIN} "
                           "characters", field="password")


def list_users(session: Session, role: str | None = None) -> list[User]:
    query = select(User).order_by(User.username)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def admin_create_user(session: Session, username: str, password: str, role: str, by: str,
                      company_code: str | None = None) -> User:
    """create_user by an admin, audited (the password is never logged)."""
    username = username.strip()
    if not username or len(username) > 64:
        raise SubsidyError("用户名应为1至64个字符 a username has 1 to 64 characters", field="username")
    if find_user(session, username) is not None:
        raise SubsidyError(f"用户 {username} 已存在 user {username} exists", field="username")
    _check_password(password)
    user = create_user(session, username, password, role, company_code)
    audit.record(session, by, "user_create", f"user {username}", role=role, company=company_code)
    return user


def _enabled_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.disabled_at.is_(None))) or 0


def set_user_disabled(session: Session, username: str, disabled: bool, by: str) -> User:
    """Disable (or enable again) a user: a disabled one cannot log in or use a token, and their
    sessions end. An admin cannot disable themselves, nor the last enabled admin.

    Raises:
        SubsidyError: no such user, or the rule above.
    """
    user = _user(session, username)
    if disabled and user.disabled_at is None:
        if user.username == by:
            raise SubsidyError("不能停用自己的账号 you cannot disable yourself", user=username)
        if user.role == "admin" and _enabled_admins(session) <= 1:
            raise SubsidyError("不能停用唯一的管理员 the last admin cannot be disabled", user=username)
        user.disabled_at = utcnow()
        user.session_version += 1
        audit.record(session, by, "user_disable", f"user {username}")
    elif not disabled and user.disabled_at is not None:
        user.disabled_at = None
        audit.record(session, by, "user_enable", f"user {username}")
    return user


def reset_password(session: Session, username: str, new_password: str, by: str) -> User:
    """Set a new password (an admin's reset): the user's sessions end; audited, password not."""
    user = _user(session, username)
    _check_password(new_password)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    audit.record(session, by, "user_password_reset", f"user {username}")
    return user


def set_role(session: Session, username: str, role: str, by: str,
             company_code: str | None = None) -> User:
    """Change a user's role (a firm user names its company); their sessions end; audited.

    Raises:
        SubsidyError: unknown role or user, a firm without a company (or another role with one),
            or the last enabled admin losing the role.
    """
    user = _user(session, username)
    if role not in ROLES:
        raise SubsidyError(f"role must be one of {', '.join(ROLES)}", role=role)
    if (role == "firm") != (company_code is not None):
        raise SubsidyError("a firm user needs a company, officials and admins have none", role=role)
    if user.role == "admin" and role != "admin" and user.disabled_at is None \
            and _enabled_admins(session) <= 1:
        raise SubsidyError("不能取消唯一管理员的权限 the last admin keeps the role", user=username)
    before = user.role
    user.role, user.company_code = role, company_code
    user.session_version += 1
    audit.record(session, by, "user_role", f"user {username}", before=before, role=role,
                 company=company_code)
    return user

"""The firm's account remembers: each saved profile version keeps its last check (rules version,
as-of date, each item's compact outcome), and when the rules in force are another version the
version is decided again and compared, so the firm learns what changed since (items it can now
apply for, items it lost, changed amounts) and why.

The reasons are the engine's own: the criteria whose outcome differs between the old decision
(rebuilt from the old rules' stored files, store.rebuild, and checked against what was stored)
and the new one, compared by store.diff's criterion_changes; or the rule change itself (an item
added, removed, or a new version of it in force). Nothing is worded here. A first check only
records a baseline; an unchanged rules version costs one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from engine.decide.compact import outcome_code
from engine.decide.decision import Assessment, Decision
from engine.decide.engine import Engine
from engine.errors import SubsidyError
from engine.explain.decision_json import decision_to_dict
from engine.facts.parse import parse_profile

from .base import utcnow
from .catalogs import record_catalog
from .diff import criterion_changes
from .models import CatalogVersion, ProfileChange, ProfileCheck, ProfileVersion, User
from .rebuild import engine_for

OPEN = ("eligible", "may_apply")  # what a firm can apply for
State = list[Any]  # [status, amount str | None, ceiling, outcome code, valid_from | None]


@dataclass(frozen=True)
class Recheck:
    """One version checked: a baseline (its first check), or the changes found (maybe none)."""

    profile_id: int
    baseline: bool
    changes: tuple[ProfileChange, ...] = ()


@dataclass(frozen=True)
class RecheckReport:
    """`recheck_accounts`: companies done, versions checked, changes found, and the companies
    that could not be checked with the reason (they do not stop the others)."""

    companies: int
    checked: int
    changes: int
    failures: tuple[tuple[str, str], ...]
    results: tuple[tuple[str, tuple[Recheck, ...]], ...] = ()  # per company checked


def default_as_of(fiscal_year: int, today: dt.date | None = None) -> dt.date:
    """Mid-year after the fiscal year, when funding rounds assess that year's figures; never
    after today ("today" would show most items of an older profile as no longer in force)."""
    return min(dt.date(fiscal_year + 1, 6, 1), today or dt.date.today())


def _states(assessment: Assessment, codes: dict[str, str]) -> dict[str, State]:
    out = {}
    for d in assessment.decisions:
        amount = d.amount
        value = amount.value if amount is not None else None
        out[d.item_id] = [d.status, None if value is None else format(value, "f"),
                          bool(amount and amount.ceiling), codes.get(d.item_id, ""),
                          d.valid_from.isoformat() if d.valid_from else None]
    return out


def _ensure_catalog(session: Session, engine: Engine) -> None:
    """The current rules version in `catalogs` (checks refer to it); a concurrent first insert
    by another request is not an error."""
    if session.get(CatalogVersion, engine.rules_version) is not None:
        return
    try:
        with session.begin_nested():
            record_catalog(session, engine.catalog)
    except IntegrityError:
        pass


def record_check(session: Session, engine: Engine, profile_id: int,
                 as_of: dt.date | None = None) -> bool:
    """Record a version's first check (its baseline, no changes), unless it has one already.

    Returns:
        True when a baseline was recorded.
    """
    version = session.get(ProfileVersion, profile_id)
    if version is None or session.get(ProfileCheck, profile_id) is not None:
        return False
    _ensure_catalog(session, engine)
    return _baseline(session, engine, version, as_of or default_as_of(version.fiscal_year))


def _baseline(session: Session, engine: Engine, version: ProfileVersion, as_of: dt.date) -> bool:
    states = _states(*engine.assess_outcomes(parse_profile(version.data), as_of))
    try:
        with session.begin_nested():
            session.add(ProfileCheck(profile_id=version.id, catalog_hash=engine.rules_version,
                                     as_of=as_of, checked_at=utcnow(), items=states))
    except IntegrityError:  # another request recorded it first
        return False
    return True


def _kind(old: State | None, new: State | None) -> str | None:
    was = old is not None and old[0] in OPEN
    now = new is not None and new[0] in OPEN
    if now and not was:
        return "new"
    if was and not now:
        return "lost"
    if was and now and (old[1], old[2]) != (new[1], new[2]):  # type: ignore[index]
        return "amount"
    return None


def _amount(state: State | None) -> Decimal | None:
    return None if state is None or state[1] is None else Decimal(state[1])


class _Decisions:
    """The full decisions of one version before and after, built only when something changed:
    the old one from the old rules' stored files, and trusted only if it is the decision stored
    in the check (status and every criterion's outcome)."""

    def __init__(self, session: Session, engine: Engine, check: ProfileCheck,
                 version: ProfileVersion) -> None:
        profile = parse_profile(version.data)
        self.after = {d.item_id: d for d in engine.assess(profile, check.as_of).decisions}
        self.before: dict[str, Decision] = {}
        try:
            old_engine = engine_for(session, check.catalog_hash)
            if old_engine is not None:
                self.before = {d.item_id: d for d in old_engine.assess(profile, check.as_of).decisions
                               if _same(d, check.items.get(d.item_id))}
        except SubsidyError:  # old rule files this code no longer loads: no criteria to compare
            self.before = {}

    def title(self, item_id: str) -> dict[str, str]:
        decision = self.after.get(item_id) or self.before.get(item_id)
        if decision is None:
            return {"zh": item_id, "en": item_id}
        return {"zh": decision.title.zh, "en": decision.title.en}


def _same(decision: Decision, state: State | None) -> bool:
    return state is not None and decision.status == state[0] and outcome_code(decision) == state[3]


def _reasons(decisions: _Decisions, item_id: str, old: State | None, new: State | None,
             kind: str) -> list[dict[str, Any]]:
    """Why the item changed, from the two decisions (see the module docstring)."""
    if old is None:
        return [{"kind": "item_added"}]
    if new is None:
        return [{"kind": "item_removed"}]
    out: list[dict[str, Any]] = []
    after = decisions.after[item_id]
    if old[4] != new[4]:
        version = after.version
        out.append({"kind": "new_version", "before": old[4], "after": new[4],
                    "text": {"zh": version.zh, "en": version.en} if version else None})
    before = decisions.before.get(item_id)
    if before is None:
        return out or [{"kind": "rules_unavailable"}]
    out += [{"kind": "criterion", "id": c.id, "text": c.text, "before": c.before, "after": c.after}
            for c in criterion_changes(decision_to_dict(before), decision_to_dict(after))]
    if kind == "amount" and not any(r["kind"] == "criterion" for r in out):
        out.append({"kind": "amount", "before": _steps(before), "after": _steps(after)})
    return out


def _steps(decision: Decision) -> list[dict[str, str]]:
    amount = decision.amount
    return [{"zh": s.zh, "en": s.en} for s in amount.steps] if amount else []


def _changes(session: Session, engine: Engine, version: ProfileVersion, check: ProfileCheck,
             states: dict[str, State]) -> list[ProfileChange]:
    found = [(i, k) for i in list(states) + [i for i in check.items if i not in states]
             if (k := _kind(check.items.get(i), states.get(i))) is not None]
    if not found:
        return []
    decisions = _Decisions(session, engine, check, version)
    now = utcnow()
    out = []
    for item_id, kind in found:
        old, new = check.items.get(item_id), states.get(item_id)
        out.append(ProfileChange(
            profile_id=version.id, item_id=item_id, title=decisions.title(item_id), kind=kind,
            status_before=old and old[0], status_after=new and new[0],
            amount_before=_amount(old), amount_after=_amount(new),
            ceiling_before=bool(old and old[2]), ceiling_after=bool(new and new[2]),
            reasons=_reasons(decisions, item_id, old, new, kind),
            catalog_before=check.catalog_hash, catalog_after=engine.rules_version,
            as_of=check.as_of, found_at=now))
    return out


def _recheck(session: Session, engine: Engine, version: ProfileVersion,
             check: ProfileCheck) -> Recheck | None:
    """Decide the version again on its check's date; store the new check and the changes.
    None when another process re-checked it meanwhile (its update wins; nothing is doubled)."""
    states = _states(*engine.assess_outcomes(parse_profile(version.data), check.as_of))
    changes = _changes(session, engine, version, check, states)
    done = session.execute(
        update(ProfileCheck)
        .where(ProfileCheck.profile_id == version.id,
               ProfileCheck.catalog_hash == check.catalog_hash)
        .values(catalog_hash=engine.rules_version, items=states, checked_at=utcnow())
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return None
    session.add_all(changes)
    session.expire(check)
    return Recheck(version.id, False, tuple(changes))


def recheck_company(session: Session, engine: Engine, company_code: str) -> list[Recheck]:
    """Re-check every saved version of a company whose last check used other rules than
    `engine`'s; record a baseline for versions never checked. The caller commits.

    Args:
        engine: the rules in force (the web's or the CLI's Engine).

    Returns:
        One Recheck per version checked now (none when every check is already current).

    Raises:
        SubsidyError: a stored version cannot be decided (the caller reports it).
    """
    rows = session.execute(
        select(ProfileVersion, ProfileCheck)
        .outerjoin(ProfileCheck, ProfileCheck.profile_id == ProfileVersion.id)
        .where(ProfileVersion.company_code == company_code)
        .order_by(ProfileVersion.fiscal_year, ProfileVersion.version)).all()
    stale = [(v, c) for v, c in rows if c is None or c.catalog_hash != engine.rules_version]
    if not stale:
        return []
    _ensure_catalog(session, engine)
    out = []
    for version, check in stale:
        if check is None:
            if _baseline(session, engine, version, default_as_of(version.fiscal_year)):
                out.append(Recheck(version.id, True))
        elif (result := _recheck(session, engine, version, check)) is not None:
            out.append(result)
    return out


def account_companies(session: Session) -> list[str]:
    """The companies with a firm account: their saved versions are the ones re-checked."""
    return list(session.scalars(select(User.company_code).distinct()
                                .where(User.role == "firm", User.company_code.is_not(None))
                                .order_by(User.company_code)))


def recheck_accounts(sessions: sessionmaker[Session], engine: Engine,
                     companies: Iterable[str] | None = None) -> RecheckReport:
    """Re-check the accounts' companies (or the ones named) after a rules deploy, one
    transaction per company: a company that cannot be checked is rolled back and reported, and
    the others go on."""
    if companies is None:
        with sessions() as session:
            companies = account_companies(session)
    done = checked = changes = 0
    failures, per_company = [], []
    for code in companies:
        with sessions() as session:
            try:
                results = recheck_company(session, engine, code)
                session.commit()
            except (SubsidyError, ArithmeticError, ValueError, SQLAlchemyError) as exc:
                session.rollback()
                failures.append((code, str(getattr(exc, "message", None) or exc)[:500]))
                continue
        done += 1
        checked += len(results)
        changes += sum(len(r.changes) for r in results)
        per_company.append((code, tuple(results)))
    return RecheckReport(done, checked, changes, tuple(failures), tuple(per_company))

"""What a published 免申即享 list tells each listed firm, in its account: the notice's text, the
firm's notices, seeing one (the first time a user of the firm opens the account page) and
confirming one. Seeing and confirming are separate facts with their own who and when, both
audited, so that an official can tell a firm that never looked from one that looked and did not
confirm (the push list page counts both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import SubsidyError
from engine.export.draft_report import wan_text

from . import audit
from .base import utcnow
from .models import FirmNotice


class NoticeError(SubsidyError):
    code = "notice_error"


def notice_message(items: list[dict[str, Any]], confirm_by: dt.date | None) -> dict[str, str]:
    """The notice's text: "您可能符合…，无需申请；请在…前确认" and its English."""
    zh = "、".join(f"「{i['title']['zh']}」（预计 {wan_text(Decimal(i['amount']))}万元）" for i in items)
    en = "; ".join(f"“{i['title']['en']}” (estimated CNY {wan_text(Decimal(i['amount']))} "
                   "× 10,000)" for i in items)
    when_zh = f"请在{confirm_by.isoformat()}前登录确认。" if confirm_by else "请登录确认。"
    when_en = (f"Please confirm by {confirm_by.isoformat()}." if confirm_by
               else "Please log in to confirm.")
    return {"zh": f"您可能符合以下支持项目，无需申请：{zh}。{when_zh}",
            "en": f"You may qualify for the following support without applying: {en}. {when_en}"}


def notices_for(session: Session, company_code: str) -> list[FirmNotice]:
    """A firm's notices, newest first (its account page)."""
    return list(session.scalars(select(FirmNotice).where(FirmNotice.company_code == company_code)
                                .order_by(FirmNotice.id.desc())))


def mark_notices_seen(session: Session, company_code: str, by: str) -> list[int]:
    """The firm's account page was shown to `by`: its notices not seen before are seen now
    (who and when), each audited once. Returns the ids newly seen (the page marks them new)."""
    now = utcnow()
    fresh = list(session.scalars(select(FirmNotice).where(
        FirmNotice.company_code == company_code, FirmNotice.seen_at.is_(None))))
    for notice in fresh:
        notice.seen_at, notice.seen_by = now, by
        audit.record(session, by, "notice_seen", f"push list {notice.list_id}",
                     company=company_code, notice=notice.id)
    return [n.id for n in fresh]


def confirm_notice(session: Session, notice_id: int, company_code: str | None, by: str) -> FirmNotice:
    """The firm confirms a notice (its own only); audited. A notice confirmed unseen (a form
    posted without the page) is seen then too.

    Raises:
        NoticeError: no such notice for this company (another firm's is not found either).
    """
    notice = session.get(FirmNotice, notice_id)
    if notice is None or company_code is None or notice.company_code != company_code:
        raise NoticeError(f"没有通知 {notice_id} no notice {notice_id}", notice=notice_id)
    if notice.confirmed_at is None:
        notice.confirmed_at, notice.confirmed_by = utcnow(), by
        if notice.seen_at is None:
            notice.seen_at, notice.seen_by = notice.confirmed_at, by
        audit.record(session, by, "notice_confirm", f"push list {notice.list_id}",
                     company=company_code, notice=notice_id)
    return notice


def notice_counts(session: Session, list_id: int) -> dict[str, int]:
    """A published list's notices: how many firms were told, saw it, confirmed it."""
    told, seen, confirmed = session.execute(
        select(func.count(), func.count(FirmNotice.seen_at), func.count(FirmNotice.confirmed_at))
        .where(FirmNotice.list_id == list_id)).one()
    return {"notified": told, "seen": seen, "confirmed": confirmed}

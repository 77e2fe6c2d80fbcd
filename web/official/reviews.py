"""Reviewers' actions on one decision: a comment, an override (a reason is mandatory; it sets an
outcome and, for eligible, an amount) or a request for materials.

Each is stored beside the engine's decision by engine.store.add_review, never over it, and
audited there; the decision page shows the engine's outcome and the reviewer's side by side, with
the history in Beijing time. A refused action re-renders the page (422) with the reason in the
page's language and what the reviewer typed, so nothing is lost; a signed-off run is read-only
(409).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import redirect, request, url_for

from engine import NumberTextError, number_from_text
from engine.store import OVERRIDE_STATUSES, DecisionReader, ReviewError, add_review

from ..db import get_session
from .base import actor, bp, is_signed, load_run, store_text
from .runs import decision_page, decision_row

ACTIONS = ("comment", "override", "request_materials")
TEXT_MAX = 2000  # the store's column
WAN = Decimal(10000)


def _amount_yuan(text: str) -> Decimal | None:
    """The overriding amount typed in 万元 ("32", "32.5", "1,200") as yuan; None if blank.

    Raises:
        ValueError: not a number of 万元 to the cent.
    """
    text = text.strip().removesuffix("万元").removesuffix("万").strip()
    if not text:
        return None
    try:
        wan = number_from_text(text)
    except NumberTextError:
        raise ValueError(text) from None
    yuan = wan * WAN
    if yuan < 0 or yuan != yuan.quantize(Decimal("0.01")):
        raise ValueError(text)
    return yuan.quantize(Decimal("0.01"))


def _refused(decision_id: int, key: str, form: dict[str, str], status: int = 422) -> Any:
    return decision_page(decision_id, key, form, status)


@bp.post("/decisions/<int:decision_id>/reviews")
def add_decision_review(decision_id: int) -> Any:
    row = decision_row(decision_id)
    form = {k: (request.form.get(k) or "")[:TEXT_MAX + 1] for k in
            ("action", "text", "override_status", "override_amount")}
    action, text = form["action"], form["text"].strip()
    if is_signed(load_run(row.run_id)):
        return _refused(decision_id, "review.error.signed", form, 409)
    if action not in ACTIONS:
        return _refused(decision_id, "review.error.action", form)
    if not text:
        return _refused(decision_id, f"review.error.text.{action}", form)
    if len(text) > TEXT_MAX:
        return _refused(decision_id, "review.error.too_long", form)
    status, amount = None, None
    if action == "override":
        status = form["override_status"]
        if status not in OVERRIDE_STATUSES:
            return _refused(decision_id, "review.error.status", form)
        try:
            amount = _amount_yuan(form["override_amount"])
        except ValueError:
            return _refused(decision_id, "review.error.amount", form)
        if amount is not None and status != "eligible":
            return _refused(decision_id, "review.error.amount_status", form)
    db = get_session()
    item_id = DecisionReader(db, row.run_id).explainer.item_ids[row.item]
    try:
        add_review(db, row.run_id, row.profile_id, item_id, action, text, actor(),
                   override_status=status, override_amount=amount)
    except ReviewError as exc:
        db.rollback()
        return decision_page(decision_id, "review.error.store", form, 422, detail=store_text(exc))
    db.commit()
    return redirect(url_for("official.decision", decision_id=decision_id) + "#reviews")

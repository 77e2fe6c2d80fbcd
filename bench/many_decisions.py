"""Fill a database with one run of many decisions, straight into the tables (no screening), to
measure and test the officials' results page at the scale of a large funding round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.store.models import CatalogVersion, Company, DecisionRow, ProfileVersion, Run, RunItem
from tests.synthetic import synthetic_profile

ITEMS = ("futian.rd_input", "futian.hnte_reward", "shanghai.hnte_reward", "national.hnte",
         "futian.ip_loan")
STATUSES = ("eligible", "ineligible", "undetermined", "not_in_force")
DISTRICTS = ("futian", "nanshan", "pudong", "minhang")
CHUNK = 5000


def expected(i: int, item: int) -> tuple[str, str, Decimal | None]:
    """(status, district, amount) of company i's decision on ITEMS[item]: a fixed pattern the test
    can recompute."""
    status = STATUSES[(i + item) % len(STATUSES)]
    amount = Decimal(10000 * (1 + i % 50)) if status == "eligible" else None
    return status, DISTRICTS[i % len(DISTRICTS)], amount


def seed_decisions(session: Session, companies: int) -> int:
    """Companies × ITEMS decisions in one complete run; returns the run id. The caller commits."""
    session.add(CatalogVersion(hash="bench", content={"items": {}, "program_of": {}, "programs": {}}))
    run = Run(started_by="bench", as_of=dt.date(2020, 6, 1), catalog_hash="bench", items=None,
              selection="bench", status="complete", rows_total=companies, rows_done=companies)
    session.add(run)
    session.flush()
    session.execute(insert(RunItem), [
        {"run_id": run.id, "code": n, "item_id": item_id, "static": False,
         "decision": {"item_id": item_id}} for n, item_id in enumerate(ITEMS)])
    profile = synthetic_profile(0)
    for start in range(0, companies, CHUNK):
        block = range(start, min(start + CHUNK, companies))
        codes = [synthetic_profile(i)["credit_code"] for i in block]
        session.execute(insert(Company), [
            {"credit_code": code, "name": f"企业{i}", "district": expected(i, 0)[1]}
            for i, code in zip(block, codes, strict=True)])
        ids = list(session.scalars(insert(ProfileVersion).returning(
            ProfileVersion.id, sort_by_parameter_order=True), [
            {"company_code": code, "fiscal_year": 2019, "version": 1, "data": profile,
             "content_hash": "x", "entered_by": "bench", "source": "self_declared"}
            for code in codes]))
        session.execute(insert(DecisionRow), [
            {"run_id": run.id, "profile_id": pid, "item": n,
             "status": expected(i, n)[0], "amount": expected(i, n)[2], "amount_is_ceiling": False,
             "outcomes": ""}
            for i, pid in zip(block, ids, strict=True) for n in range(len(ITEMS))])
    return run.id

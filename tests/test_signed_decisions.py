"""Decisions a Futian official would sign (issue 10, second part): moved-in Shanghai rewards read
the moved-in fact, and an earlier round never rests on a later document without saying so."""

from __future__ import annotations

import datetime as dt

from engine import Engine, assessment_text
from engine.facts.parse import parse_profile

HUANGPU = {"city": "shanghai", "registered_district": "huangpu", "serious_dishonesty_listed": False,
           "hnte_certificate_date": "2023-11-20", "hnte_first_certification": False,
           "settled_in_district_date": "2024-02-01"}
MOVED_IN = "shanghai.hnte_reward.huangpu.moved_in"


def test_a_shanghai_firm_founded_after_its_certificate_did_not_move_in(engine: Engine) -> None:
    firm = parse_profile({**HUANGPU, "moved_in_from_elsewhere": False})
    d = engine.assess(firm, dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN)
    assert d.status == "ineligible"
    assert {c.id: c.status for c in d.criteria}["moved_from_elsewhere"] == "fail"


def test_the_shanghai_moved_in_reward_asks_whether_the_firm_moved_in(engine: Engine) -> None:
    d = engine.assess(parse_profile(HUANGPU), dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN)
    assert d.status == "undetermined"
    assert d.missing == ("moved_in_from_elsewhere",)
    moved = parse_profile({**HUANGPU, "moved_in_from_elsewhere": True})
    assert engine.assess(moved, dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN).status == "eligible"


FAQ_DATE = dt.date(2021, 11, 23)  # the Shenzhen MIIT FAQ the dishonesty exclusion comes from


def test_rounds_before_the_dishonesty_faq_cite_it_as_a_borrowed_later_document(
        engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    for item in engine.catalog.all_items():
        day = item.valid_from
        if not item.id.startswith("futian.") or item.not_assessable:
            continue
        d = engine.assess(make_profile(), day, [item.id]).decision(item.id)
        for c in d.criteria:
            if c.group and c.group.startswith("futian.serious_dishonesty"):
                if day < FAQ_DATE:
                    assert c.citation.basis == "reconstructed", item.id
                    assert "借用" in c.citation.assumption.zh, item.id
                    assert "2021年11月23日" in c.citation.assumption.zh, item.id
                    assert "borrowed from a later document" in c.citation.assumption.en
                else:
                    assert "借用" not in (c.citation.assumption.zh if c.citation.assumption else "")


def test_the_borrowed_basis_is_shown_in_the_text(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    result = engine.assess(make_profile(rd_expense_stats_verified="3200000"), dt.date(2020, 6, 1),
                           ["futian.rd_input"])
    text = assessment_text(result, "zh", engine.catalog)
    assert "借用的后出文件" in text and "推定" in text

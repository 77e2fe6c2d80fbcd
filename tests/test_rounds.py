"""Rounds as data: every item version states its round or that the source is silent, and the
catalog names its rounds, the latest one, and the nearest ones for a date with nothing in force."""

from __future__ import annotations

import datetime as dt

import pytest

from engine import (
    catalog_rounds,
    date_message,
    latest_round,
    load_catalog,
    round_lines,
    round_of,
    rounds_on,
)
from engine.errors import RuleError
from engine.rules.loader import parse_rule_file


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_item_version_states_its_round(catalog):
    silent = [i.id for i in catalog.all_items() if i.round is None]
    assert not silent, f"items without `round` (write `round: not_published`): {silent}"


def test_futian_hnte_round_lists_the_materials_the_notice_names(catalog):
    lines = {line.part: line for line in
             round_lines(round_of(catalog, "futian.hnte_reward.new", dt.date(2020, 1, 1)), "zh")}
    assert "福田区税务部门出具的上年度纳税证明" in lines["materials"].text
    assert "高新技术企业证书" in lines["materials"].text
    assert "注册地变更证明" not in lines["materials"].text  # only the moved-in option needs it
    assert lines["window"].text == "来源未公布" and not lines["window"].published
    assert lines["contact"].text == "来源未公布"
    assert lines["department"].assumption  # reconstructed from the management measures
    assert lines["notice"].url == "http://kt180.com/m/view.php?aid=5011"
    moved = round_lines(round_of(catalog, "futian.hnte_reward.moved_in", dt.date(2020, 1, 1)), "zh")
    assert "注册地变更证明" in next(line.text for line in moved if line.part == "materials")


def test_ip_pledge_2021_lists_its_materials_and_2022_is_silent(catalog):
    lines = round_lines(round_of(catalog, "futian.ip_pledge", dt.date(2021, 1, 1)), "en")
    materials = next(line.text for line in lines if line.part == "materials")
    assert "CNIPA pledge registration certificate" in materials and "Loan contract" in materials
    silent = round_lines(round_of(catalog, "futian.ip_pledge", dt.date(2022, 1, 1)), "en")
    assert all(line.text == "not published by the source" for line in silent)


def test_a_silent_part_never_reads_blank(catalog):
    for item in catalog.all_items():
        for lang in ("zh", "en"):
            for line in round_lines(item.application, lang):
                assert line.text.strip(), (item.id, line.part)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_material_says_what_it_shows_and_each_part_its_source(catalog, lang):
    """The card's list: one entry per document the rule file names, its `proves` (or the silent
    marker, never a blank), and the document and clause each part comes from."""
    for item in catalog.all_items():
        application = item.application
        for line in round_lines(application, lang):
            if line.part == "materials" and line.published:
                assert [name for name, _ in line.items] == [
                    m.name.get(lang) for m in application.materials]
                assert all(shows.strip() for _, shows in line.items)
            else:
                assert line.items == ()
            if not line.published:
                assert line.cite is None and line.assumption is None
    lines = {x.part: x for x in round_lines(
        round_of(catalog, "futian.hnte_reward.new", dt.date(2020, 1, 1)), lang)}
    assert lines["department"].cite.startswith("福田区科技创新局2018年部门预算")
    assert lines["materials"].cite == "福田区2020年国家高新技术企业认定支持申报通知 申报材料"
    assert lines["notice"].cite is None  # the item's own source, which the card names once


def test_an_unknown_version_has_no_round(catalog):
    assert round_of(catalog, "futian.ip_pledge", dt.date(2021, 1, 2)) is None
    assert round_of(catalog, "no.such_item", dt.date(2021, 1, 1)) is None


def test_futian_rounds_run_2017_to_2022_and_the_latest_is_2022(catalog):
    rounds = catalog_rounds(catalog, "futian.st")
    assert rounds[0].valid_from == dt.date(2017, 1, 1)
    assert max(r.valid_to for r in rounds) == dt.date(2022, 12, 31)
    latest = latest_round(catalog, "futian.st")
    assert (latest.valid_from, latest.valid_to) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert set(latest.item_ids) == {"futian.ip_pledge", "futian.st_loan.growth"}
    assert latest.in_force(latest.as_of)
    hnte = next(r for r in rounds if "futian.hnte_reward.new" in r.item_ids)
    assert hnte.label.zh == "2020年申报批次" and hnte.as_of == dt.date(2020, 1, 1)


def test_latest_round_not_after_today(catalog):
    assert latest_round(catalog, "futian.st", today=dt.date(2021, 6, 1)).valid_from == dt.date(2021, 1, 1)
    assert latest_round(catalog, "futian.st", today=dt.date(2016, 12, 31)) is None


def test_a_date_with_nothing_in_force_names_the_nearest_rounds(catalog):
    on = rounds_on(catalog, dt.date(2026, 12, 3), "futian.st")
    assert on.nothing_in_force and on.after is None
    assert on.before.valid_to == dt.date(2022, 12, 31)
    zh = date_message(on, "zh")
    assert "2026-12-03" in zh and "2022-01-01 – 2022-12-31" in zh
    assert "No round is in force on 2026-12-03" in date_message(on, "en")
    before = rounds_on(catalog, dt.date(2016, 12, 31), "futian.st")
    assert before.before is None and before.after.valid_from == dt.date(2017, 1, 1)


def test_a_date_in_force_has_no_message(catalog):
    on = rounds_on(catalog, dt.date(2020, 6, 1), "futian.st")
    assert not on.nothing_in_force and date_message(on, "zh") is None
    # the last day of a round is still in it (以内 includes the bound)
    assert rounds_on(catalog, dt.date(2022, 12, 31), "futian.st").in_force


def _file(round_yaml: dict) -> dict:
    return {"program": {"id": "p", "title": {"zh": "甲", "en": "a"}, "authority": {"zh": "甲", "en": "a"}},
            "items": [{"id": "p.x", "title": {"zh": "甲", "en": "a"},
                       "source": {"document": "d", "clause": "c", "evidence": "secondary",
                                  "basis": "verbatim"},
                       "valid_from": "2020-01-01", "not_assessable": {"zh": "甲", "en": "a"},
                       "round": round_yaml}]}


@pytest.mark.parametrize("round_yaml, words", [
    ({"window": "unknown", "department": "not_published", "materials": "not_published",
      "notice": "not_published"}, "round.window"),
    ({"window": "not_published", "department": "not_published", "materials": [],
      "notice": "not_published"}, "at least one document"),
    ({"window": "not_published", "department": "not_published",
      "materials": [{"name": {"zh": "甲", "en": "a"}}], "notice": "not_published"}, "needs a `cite`"),
    ({"window": "not_published", "department": "not_published", "materials": "not_published",
      "notice": {"title": {"zh": "甲", "en": "a"}, "url": "kt180.com", "cite": {"clause": "c"}}},
     "round.notice.url"),
    ({"window": "not_published"}, "round.department"),
])
def test_a_malformed_round_is_refused_naming_the_key(round_yaml, words):
    with pytest.raises(RuleError, match=words.replace(".", r"\.").replace("`", "`")):
        parse_rule_file("p.yaml", _file(round_yaml))


def test_the_default_round_is_the_firms_local_latest_not_a_national_open_one(catalog):
    from engine import default_round

    futian = default_round(catalog, "shenzhen", "futian", today=dt.date(2026, 12, 3))
    assert futian.program == "futian.st" and futian.as_of == dt.date(2022, 1, 1)
    # the national super deduction (open since 2023) is later, but would hide every Futian item
    assert latest_round(catalog, today=dt.date(2026, 12, 3)).valid_from > futian.valid_from
    huangpu = default_round(catalog, "shanghai", "huangpu", today=dt.date(2026, 12, 3))
    assert huangpu.program == "shanghai.stic"
    early = default_round(catalog, "shenzhen", "futian", today=dt.date(2020, 6, 1))
    assert early.valid_from <= dt.date(2020, 6, 1)

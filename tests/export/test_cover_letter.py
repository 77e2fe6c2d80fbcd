"""The letter that opens the PDF: firm, date in Beijing time, round, total, next steps, paths,
what is missing; one or two pages, then the appendix; no internal ids; English mirrors it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from engine.explain.firm_summary import summarize
from engine.export import ExportMeta, records_from_assessment
from engine.export.letter import firm_letter_pdf, letter_pdf

from .conftest import RD_FIRM

AT = dt.datetime(2020, 6, 1, 16, 30, tzinfo=dt.UTC)  # 2020-06-02 00:30 in Beijing
ITEM_ID = re.compile(r"\b(futian|national|shanghai|shenzhen|huizhou)\.[a-z_]+")


def pages_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _letter(engine, assessment, lang: str, **meta) -> bytes:
    summary = summarize(engine, assessment)
    m = ExportMeta(rules_version=assessment.rules_version, as_of=assessment.as_of, lang=lang,
                   generated_at=AT, **meta)
    return letter_pdf(records_from_assessment(assessment), m, summary=summary)


@pytest.fixture(scope="module")
def zh_pages(engine, rd_firm) -> list[str]:
    return pages_of(_letter(engine, rd_firm, "zh", run_id=987654))


@pytest.fixture(scope="module")
def en_pages(engine, rd_firm) -> list[str]:
    return pages_of(_letter(engine, rd_firm, "en", run_id=987654))


def _cover(pages: list[str], appendix: str) -> str:
    start = next(i for i, p in enumerate(pages) if p.startswith(appendix) or appendix in p[:40])
    assert 1 <= start <= 2, f"the letter runs {start} pages before the appendix"
    return "".join(pages[:start])


def test_the_letter_comes_first_and_is_one_or_two_pages(zh_pages):
    cover = _cover(zh_pages, "附录：逐项评估明细")
    assert cover.startswith("资助项目自动预评估告知书")
    assert f"{RD_FIRM}：" in cover and "评估日期2020-06-01" in cover
    assert "生成时间2020-06-0200:30（北京时间）" in cover


def test_the_letter_gives_the_total_and_the_next_steps(zh_pages):
    cover = _cover(zh_pages, "附录：逐项评估明细")
    assert "预计可申报金额合计：62万元（620,000元）" in cover
    assert "R&D投入支持（2017–2021年政策）—预计金额：32万元（320,000元）" in cover
    assert "国高企业认定支持（新认定）（2020年申报批次）—预计金额：30万元（300,000元）" in cover
    assert "申报时间：来源未公布" in cover  # the source is silent, and the letter says so
    assert "福田区税务部门出具的上年度纳税证明" in cover  # the materials the notice lists
    assert "http://kt180.com/m/view.php?aid=5011" in cover
    assert "所评估的申报批次：" in cover and "2020年申报批次" in cover


def test_the_letter_gives_the_shortest_path_and_what_is_missing(zh_pages):
    cover = _cover(zh_pages, "附录：逐项评估明细")
    assert "科技人员数：9人→10人（企业可改变）⇒高新技术企业认定条件（自评）符合条件" in cover
    assert "三、尚需补充的资料" in cover
    # a 2018 certificate is history: no path, and the letter says so
    assert "不符合条件、且在企业可改变范围内没有能使其符合的改变：国高企业认定支持（重新认定）" in cover


def test_no_internal_ids_anywhere(zh_pages, en_pages):
    for pages in (zh_pages, en_pages):
        text = "".join(pages)
        assert not ITEM_ID.search(text), ITEM_ID.search(text)
        assert "987654" not in text  # the run id
        assert "批次编号" not in text and "Runid" not in text


def test_the_appendix_keeps_the_criteria_tables(zh_pages):
    appendix = "".join(zh_pages[1:])
    assert "条件企业数据要求结果差距条款" in appendix
    assert "还需增加1人" in appendix


def test_english_mirrors_the_letter(en_pages):
    cover = _cover(en_pages, "Appendix:itembyitem")
    for expected in ("Automatedpre-assessmentofsupportitems", f"To{RD_FIRM}:",
                     "Estimatedtotalyoucanapplyfor:CNY620,000", "1.Whatyoucanapplyfor,andnextsteps",
                     "Applicationwindow:notpublishedbythesource", "2.Nearlythere:theshortestchanges",
                     "(thefirmcanchangethis)", "3.Factsstillneeded", "2020-06-0200:30(Beijingtime)"):
        assert expected in cover, expected


def test_a_letter_from_stored_records_still_opens_with_the_letter(rd_firm):
    meta = ExportMeta.from_assessment(rd_firm)
    pages = pages_of(letter_pdf(records_from_assessment(rd_firm), meta))
    cover = _cover(pages, "附录：逐项评估明细")
    assert "预计可申报金额合计：62万元（620,000元）" in cover
    assert "未找到能使其他项目符合条件的改变" in cover  # no profile, so no paths claimed


def test_a_date_with_nothing_in_force_says_so_with_the_nearest_rounds(engine, make_profile):
    assessment = engine.assess(make_profile(name="深圳市福田某科技有限公司"), dt.date(2026, 12, 3))
    cover = _cover(pages_of(firm_letter_pdf(engine, assessment, "zh")), "附录：逐项评估明细")
    assert "评估日期2026-12-03没有有效的申报批次" in cover
    assert "2022-01-01–2022-12-31" in cover
    assert "预计可申报金额合计：0万元（0元）" in cover

"""The PDF letter a firm keeps: Chinese that any reader shows (font embedded), every decision explained."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from engine.export import ExportMeta, records_from_assessment
from engine.export.fonts import FONT_ENV, FontMissingError, cjk_font
from engine.export.letter import letter_pdf, write_letter

from .conftest import RD_FIRM


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def fonts_of(pdf: bytes) -> list[dict]:
    """Every font the pages use, with its descriptor."""
    out = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            out[font["/BaseFont"]] = {"subtype": font["/Subtype"],
                                      "descriptor": descendant["/FontDescriptor"].get_object()}
    return list(out.items())


@pytest.fixture(scope="module")
def zh_letter(seed_assessments) -> bytes:
    rd = next(a for a in seed_assessments if a.profile.name == RD_FIRM)
    return letter_pdf(records_from_assessment(rd), ExportMeta.from_assessment(rd))


def test_chinese_names_and_item_titles_are_extractable(zh_letter, rd_firm):
    text = text_of(zh_letter)
    for expected in ("资助项目自动预评估告知书", RD_FIRM, "91440300MA5F3K7L04", "福田区",
                     "R&D投入支持", "国高企业认定支持（新认定）", "高新技术企业认定条件（自评）",
                     "评估结果汇总", "符合条件", "不符合条件"):
        assert expected in text, expected


def test_rules_version_and_assessment_date_are_stated(zh_letter, rd_firm):
    text = text_of(zh_letter)
    assert f"规则版本{rd_firm.rules_version}" in text
    assert "评估日期2020-06-01" in text
    keywords = PdfReader(io.BytesIO(zh_letter)).metadata["/Keywords"]
    assert keywords == f"rules_version={rd_firm.rules_version} as_of=2020-06-01"


def test_amounts_in_wan_and_yuan(zh_letter):
    text = text_of(zh_letter)
    assert "32万元320,000元" in text  # summary row: estimate in 万元, then in yuan


def test_criteria_with_figure_threshold_result_gap_and_clause(zh_letter):
    text = text_of(zh_letter)
    assert "条件企业数据要求结果差距条款" in text
    assert "科技人员占当年职工总数不低于10%" in text
    assert "还需增加1人" in text  # the gap to eligibility
    assert "第十一条（四）" in text  # the clause


def test_reconstructed_bases_show_their_assumption(zh_letter):
    assert "推定：条款表未注明年份" in text_of(zh_letter)


def test_items_not_in_force_are_listed_with_the_reason(zh_letter):
    text = text_of(zh_letter)
    assert "未评估或不适用于本地区的项目" in text
    assert "知识产权质押贷款贴息支持不在有效期内评估日期2020-06-01不在该项目的有效期内" in text


def test_every_page_says_it_is_not_an_award(zh_letter):
    reader = PdfReader(io.BytesIO(zh_letter))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "不构成资助决定或承诺" in re.sub(r"\s+", "", page.extract_text())


def test_the_cjk_font_is_embedded_not_referenced(zh_letter):
    fonts = fonts_of(zh_letter)
    assert fonts, "no fonts"
    for name, font in fonts:
        assert "WenQuanYiMicroHei" in name and "STSong" not in name
        assert font["subtype"] == "/Type0"
        assert "/FontFile2" in font["descriptor"] or "/FontFile3" in font["descriptor"], name


def test_no_glyph_is_missing_from_the_font(rd_firm, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        for lang in ("zh", "en"):
            letter_pdf(records_from_assessment(rd_firm), ExportMeta.from_assessment(rd_firm, lang))
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


def test_english_on_request(seed_assessments, tmp_path):
    startup = next(a for a in seed_assessments if a.profile.name == "上海闵行初创机器人科技有限公司")
    path = tmp_path / "letter.pdf"
    write_letter(records_from_assessment(startup), ExportMeta.from_assessment(startup, "en"), path)
    text = text_of(path.read_bytes())
    assert "Automatedpre-assessmentofsupportitems" in text
    assert "上海闵行初创机器人科技有限公司" in text
    assert "Undetermined(factsmissing)" in text
    assert "Pleasesupply" in text
    assert "Itisnotanawardorapromiseofsupport" in text


def test_a_letter_is_for_one_company(seed_assessments):
    records = [r for a in seed_assessments[:2] for r in records_from_assessment(a)]
    with pytest.raises(ValueError, match="one company"):
        letter_pdf(records, ExportMeta.from_assessment(seed_assessments[0]))


def test_a_missing_font_names_the_package_to_install(tmp_path):
    with pytest.raises(FontMissingError, match="apt-get install -y fonts-wqy-microhei"):
        cjk_font(candidates=(tmp_path / "absent.ttc",), env={})
    with pytest.raises(FontMissingError, match=f"{FONT_ENV}="):
        cjk_font(env={FONT_ENV: str(tmp_path / "absent.ttf")})


def test_items_not_assessable_are_listed_with_the_reason(rd_firm):
    records = list(records_from_assessment(rd_firm))
    pledge = next(r for r in records if r["decision"]["item_id"] == "futian.ip_pledge")
    pledge["decision"] = {**pledge["decision"], "status": "not_assessable",
                          "reason": {"zh": "申报条件未公开", "en": "criteria not published"}}
    text = text_of(letter_pdf(records, ExportMeta.from_assessment(rd_firm)))
    assert "知识产权质押贷款贴息支持无法评估（未公开条件）申报条件未公开" in text


def test_ceiling_only_items_read_may_apply_in_the_letter(seed_assessments):
    newcomer = next(a for a in seed_assessments if a.profile.name == "深圳市福田迁入新材料股份有限公司")
    text = text_of(letter_pdf(records_from_assessment(newcomer), ExportMeta.from_assessment(newcomer)))
    assert "落户费支持—可申报（条件未全部公开）" in text
    assert "落户费支持—符合条件" not in text
    assert "条件未全部公开：已公开的条件均符合" in text


def test_amount_assumptions_and_notes_are_in_the_letter(engine):
    import datetime as dt
    import json

    from engine import parse_profile
    from engine.intake.seeds import SEEDS_DIR

    data = json.loads((SEEDS_DIR / "profiles" / "futian_newcomer.json").read_text(encoding="utf-8"))
    result = engine.assess(parse_profile(data), dt.date(2019, 6, 1))
    text = text_of(letter_pdf(records_from_assessment(result), ExportMeta.from_assessment(result)))
    assert "金额依据" in text and "推定：租金支持不会超过企业实际支付的租金" in text
    assert "说明：受支持期间不得转租" in text

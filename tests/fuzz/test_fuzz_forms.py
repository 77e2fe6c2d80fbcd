"""Hypothesis against the self-check form and the officials' uploader: any text in any field, any
bytes as a list, never a 500 and never a response larger than a bound (issue 11, findings 3, 9)."""

from __future__ import annotations

import io

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.store import create_user, find_user
from web.db import get_session
from web.fields import field_specs

from .conftest import count

FUZZ = settings(max_examples=100, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MAX_RESPONSE = 2_000_000  # bytes: the longest result page is some 300 KB

NAMES = [s.name for s in field_specs()]
# Text that has broken parsers before, mixed with anything at all.
NASTY = st.sampled_from(["1e300000000", "9" * 5000, "²", "๑๒", "1,5", "0", "9999-12-31", "-0",
                         "NaN", "Infinity", "1e-999999", "１２３", "\x00", "名" * 3000, "0x10",
                         "2020-02-30", "+1", " ", "yes", "unknown", "1_000"])
VALUE = st.one_of(NASTY, st.text(max_size=60), st.from_regex(r"-?[0-9,.eE+]{1,40}", fullmatch=True))


@FUZZ
@given(answers=st.dictionaries(st.sampled_from(NAMES + ["as_of"]), VALUE, max_size=8))
def test_the_self_check_never_fails(fuzz_app: Flask, answers: dict[str, str]) -> None:
    response = fuzz_app.test_client().post("/check", data=answers)
    count("self-check form", response.status_code)
    assert response.status_code in (200, 422), response.status_code
    assert len(response.get_data()) < MAX_RESPONSE


WHERE = st.sampled_from([{}, {"city": "shenzhen", "registered_district": "futian"},
                         {"registered_district": "pudong", "listed_company": "yes",
                          "registered_in_mainland": "no"}])


@FUZZ
@given(answers=st.dictionaries(st.sampled_from(NAMES + ["as_of"]), VALUE, max_size=8),
       where=WHERE, step=st.sampled_from(["2", "", "x"]), lang=st.sampled_from(["zh", "en", "de"]))
def test_step_two_and_its_language_switch_never_fail(fuzz_app: Flask, answers: dict[str, str],
                                                    where: dict[str, str], step: str,
                                                    lang: str) -> None:
    """Step 2 (narrowed by the step-1 answers) and its switch (`step=2`) with any answers."""
    data = {**where, **answers, "step": step, "lang": lang}
    response = fuzz_app.test_client().post("/check/questions", data=data)
    count("step two", response.status_code)
    assert response.status_code in (200, 422), response.status_code
    assert len(response.get_data()) < MAX_RESPONSE


@FUZZ
@given(body=st.binary(max_size=2000), name=st.sampled_from(["a.json", "b.txt"]))
def test_the_profile_upload_never_fails(fuzz_app: Flask, body: bytes, name: str) -> None:
    response = fuzz_app.test_client().post("/check/upload",
                                           data={"profile_file": (io.BytesIO(body), name)})
    count("profile upload", response.status_code)
    assert response.status_code in (200, 422)


HEADER = "统一社会信用代码,数据所属年度,企业名称,职工总数,注册成立日期,销售收入（最近一年）\n"


def _official(app: Flask) -> object:
    client = app.test_client()
    with app.app_context():
        if find_user(get_session(), "fuzzer") is None:
            create_user(get_session(), "fuzzer", "fuzzer-password-1", "official")
            get_session().commit()
    client.post("/login", data={"username": "fuzzer", "password": "fuzzer-password-1"})
    return client


@settings(FUZZ, max_examples=80)
@given(rows=st.lists(st.lists(VALUE, min_size=1, max_size=7), max_size=6),
       raw=st.binary(max_size=300), kind=st.sampled_from(["rows", "raw", "xlsx"]))
def test_the_list_uploader_never_fails(fuzz_app: Flask, rows: list[list[str]], raw: bytes,
                                       kind: str) -> None:
    client = _official(fuzz_app)
    if kind == "rows":
        body = (HEADER + "\n".join(",".join(r) for r in rows)).encode("utf-8", "surrogatepass")
        name = "list.csv"
    else:
        body = (b"PK\x03\x04" + raw) if kind == "xlsx" else raw
        name = "list.xlsx" if kind == "xlsx" else "list.csv"
    response = client.post("/official/uploads",  # type: ignore[attr-defined]
                           data={"applicants": (io.BytesIO(body), name)})
    count("list uploader", response.status_code)
    assert response.status_code in (302, 413, 422), response.status_code

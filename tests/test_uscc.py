"""Unified social credit codes are checked per GB 32100-2015."""

import pytest

from engine.facts.uscc import check_character, make_code, uscc_problem


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91440300MA5F3K7L04"])
def test_valid_codes_pass(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91350100M000100Y44", "check character is 4"),
        ("91350100M000100Y4", "must be 18 characters, got 17"),
        ("91350100M000100I43", "outside GB 32100-2015's alphabet: I"),
        ("9135010OM000100Y43", "alphabet: O"),
    ],
)
def test_invalid_codes_say_why(code: str, words: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and words in problem


def test_make_code_completes_a_valid_code() -> None:
    code = make_code("91440300MA5D8XY12")
    assert len(code) == 18 and uscc_problem(code) is None
    assert check_character("91350100M000100Y4") == "3"

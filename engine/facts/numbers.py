"""Numbers as people type them, read strictly: one reading or a refusal, never a guess.

`1,250,000` has thousands separators in groups of three and reads as 1250000; `1,5` could be a
decimal comma (1.5) or a slip (15), so it is refused rather than guessed. Full-width digits and a
trailing 元 are accepted; other scripts' digits are not (Python's int() would take them silently).
The text is bounded before it is parsed, and the exponent after: `1e300000000` is a short string
whose plain form has 300 million digits.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .bounds import INPUT_MAX_CHARS

_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")
# Full-width forms (what a Chinese input method types) map to ASCII; nothing else is normalised,
# so that ² or ๑ are refused rather than read as 2 or 1.
_FULL_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})
_SPACES = re.compile(r"[\s_'’]")
EXPONENT_MAX = 20  # |adjusted exponent|: beyond 10^20 or below 10^-20 no fact has a meaning


class NumberTextError(ValueError):
    """Why a text is not a number; `kind` is too_long, comma, not_number or out_of_range."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(f"{kind}: {text[:INPUT_MAX_CHARS]}")
        self.kind = kind


def number_from_text(text: str) -> Decimal:
    """The Decimal a person meant by `text`.

    Raises:
        NumberTextError: too long, an ambiguous comma, not a number, or an absurd exponent.
    """
    if len(text) > 4 * INPUT_MAX_CHARS:  # refuse before normalising a huge string
        raise NumberTextError("too_long", text)
    cleaned = text.translate(_FULL_WIDTH).strip().removesuffix("元")
    cleaned = _SPACES.sub("", cleaned)
    if len(cleaned) > INPUT_MAX_CHARS:
        raise NumberTextError("too_long", text)
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise NumberTextError("comma", text)
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        raise NumberTextError("not_number", text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        raise NumberTextError("not_number", text) from None
    if value and abs(value.adjusted()) > EXPONENT_MAX:
        raise NumberTextError("out_of_range", text)
    return value


# Chinese magnitudes as people write money: 4200万 (42 million yuan), 1.2亿 (120 million).
_MAGNITUDES = (("亿元", Decimal(10) ** 8), ("亿", Decimal(10) ** 8),
               ("万元", Decimal(10) ** 4), ("万", Decimal(10) ** 4))


def money_from_text(text: str) -> Decimal:
    """The yuan a person meant by `text`: a number as `number_from_text` reads it, optionally
    followed by 万 / 万元 (× 10,000) or 亿 / 亿元 (× 100,000,000); `1,5万` is refused like `1,5`.

    Raises:
        NumberTextError: as number_from_text, and `not_number` for a bare 万 or 亿.
    """
    if len(text) > 4 * INPUT_MAX_CHARS:
        raise NumberTextError("too_long", text)
    cleaned = _SPACES.sub("", text.translate(_FULL_WIDTH).strip())
    for suffix, factor in _MAGNITUDES:
        if cleaned.endswith(suffix):
            head = cleaned.removesuffix(suffix)
            if not head:
                raise NumberTextError("not_number", text)
            try:
                value = number_from_text(head) * factor
            except NumberTextError as exc:
                raise NumberTextError(exc.kind, text) from None
            if value and abs(value.adjusted()) > EXPONENT_MAX:
                raise NumberTextError("out_of_range", text)
            # 4200万 is 42000000, not 4.2E+7: whole yuan keep a plain exponent
            return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_from_text(text)

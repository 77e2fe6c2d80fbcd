"""Line breaking for mixed Chinese and Latin text, so a figure like 42,000,000元 is never split.

fpdf2 breaks lines at spaces (Chinese has none) or at any character (which splits numbers).
Here a run of Latin letters and digits is one unit, a Chinese character is its own unit, closing
punctuation stays with what precedes it and opening brackets with what follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"[\x21-\x7e\u00a0-\u024f\u2013\u2014\u2026\u2030\u2264\u2265]+|\s+|.", re.S)
NO_START = set("，。；：、）》」』〕】！？%…·”’")
NO_END = set("（《「『〔【“‘")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if out and not token.isspace() and (token[0] in NO_START or out[-1][-1] in NO_END):
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(text: str, width: float, measure: Callable[[str], float]) -> str:
    """Insert line breaks so that each line measures at most `width` (a longer unit overflows)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in tokens(paragraph):
            if line.strip() and measure(line + token.rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return "\n".join(lines)

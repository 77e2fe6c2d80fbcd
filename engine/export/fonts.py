"""Find the CJK font the PDF letter embeds, or say exactly what to install.

A letter must show Chinese on any reader, so the font is embedded (subset), never referenced as a
non-embedded CID font. We use WenQuanYi Micro Hei (Apache-2.0 or GPL-3+ with font exception):
its TrueType outlines embed cleanly, and Debian ships it as `fonts-wqy-microhei`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.errors import SubsidyError

FONT_ENV = "SUBSIDY_CJK_FONT"
DEBIAN_PACKAGE = "fonts-wqy-microhei"
CANDIDATES = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),)


class FontMissingError(SubsidyError):
    """No CJK font to embed: names the package to install and the variable to set."""

    code = "font_missing"


def cjk_font(candidates: Sequence[Path] = CANDIDATES,
             env: Mapping[str, str] | None = None) -> Path:
    """The TrueType (.ttf/.ttc) font file for letters: $SUBSIDY_CJK_FONT, else the Debian font.

    Raises:
        FontMissingError: neither the variable's file nor any candidate exists.
    """
    env = os.environ if env is None else env
    chosen = env.get(FONT_ENV)
    if chosen:
        if Path(chosen).is_file():
            return Path(chosen)
        raise FontMissingError(f"{FONT_ENV}={chosen}: no such font file", path=chosen)
    for path in candidates:
        if path.is_file():
            return path
    raise FontMissingError(
        f"no Chinese font for PDF letters: install the Debian package {DEBIAN_PACKAGE} "
        f"(apt-get install -y {DEBIAN_PACKAGE}) or set {FONT_ENV} to a TrueType .ttf/.ttc file "
        f"(looked in {', '.join(str(p) for p in candidates)})",
        package=DEBIAN_PACKAGE)

"""Demo data: the example company profiles in seeds/, each with the date to assess it on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from engine.facts.parse import parse_profile
from engine.facts.profile import Profile

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def demo_profiles(seeds_dir: Path = SEEDS_DIR) -> list[tuple[Profile, dt.date]]:
    """The seed profiles listed in seeds/demo.json, parsed, with their demo assessment dates."""
    manifest = json.loads((seeds_dir / "demo.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest["profiles"]:
        path = seeds_dir / entry["file"]
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((parse_profile(data, source=str(path)), dt.date.fromisoformat(entry["as_of"])))
    return out

"""Example firms for the self-check page: the demo profiles in seeds/ (see seeds/demo.json).

The storage branch will load these into the database for `make run`; until then the self-check
page offers them as "load an example firm" buttons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import SEEDS_DIR


@dataclass(frozen=True)
class Example:
    key: str  # the profile's file stem, used in ?example=
    name: str
    as_of: str
    data: dict[str, Any]


def load_examples(seeds_dir: Path = SEEDS_DIR) -> list[Example]:
    manifest = json.loads((seeds_dir / "demo.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest["profiles"]:
        path = seeds_dir / entry["file"]
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(Example(path.stem, str(data.get("name") or path.stem), entry["as_of"], data))
    return out


def find_example(key: str | None) -> Example | None:
    return next((e for e in load_examples() if e.key == key), None)

"""JSON lines for machines: one self-describing object per record, metadata included in each.

Each line stands alone (rules version, as-of date, run), so a consumer can split, filter or
stream the file without losing what the decision was made with.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .meta import ExportMeta
from .records import Record, decision_dict_of


def jsonl_lines(records: Iterable[Record], meta: ExportMeta) -> Iterator[str]:
    """One JSON document per record, each ending in a newline."""
    head = meta.to_dict()
    for record in records:
        outcome = {"error": record["error"]} if "error" in record else {"decision": decision_dict_of(record)}
        line = {**head, "company": record["company"], "profile_version": record.get("profile_version"),
                **outcome}
        yield json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_jsonl(records: Iterable[Record], meta: ExportMeta, stream: IO[Any]) -> int:
    """Write JSON lines (UTF-8, no BOM) to a binary or text stream; returns the line count."""
    binary = not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", "b")
    count = 0
    for line in jsonl_lines(records, meta):
        stream.write(line.encode("utf-8") if binary else line)
        count += 1
    return count

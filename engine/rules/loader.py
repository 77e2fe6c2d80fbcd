"""Strict loading of rules/*.yaml into a Catalog: YAML without duplicate keys, pydantic models,
then semantic checks of every fact, operator and reference against the profile schema.

Every problem is a RuleError naming the file, the item, the key and what was expected.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from engine.errors import RuleError

from .catalog import Catalog
from .checks import check_catalog
from .model import RuleFile

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """safe_load that refuses duplicate keys instead of silently keeping the last one. On
    libyaml's parser where PyYAML has it: the rules parse about ten times faster, which a
    compact run pays each time it rebuilds explanations from its stored rules."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor` may be overridden
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise RuleError(f"duplicate key (line {key_node.start_mark.line + 1})", key=str(key))
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def read_yaml(path: Path, name: str | None = None) -> Any:
    """Parse one YAML file strictly; errors name the file (as `name`, default its file name)."""
    return parse_yaml(path.read_text(encoding="utf-8"), name or path.name)


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text strictly; errors name the file `name`."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506
    except RuleError as exc:
        raise RuleError(exc.reason, file=name, key=exc.key) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}", file=name) from None


def parse_rule_file(name: str, data: Any) -> RuleFile:
    """Validate one file's data against the rule language."""
    try:
        return RuleFile.model_validate(data if data is not None else {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        item = None
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            items = data.get("items") or []
            raw = items[loc[1]] if loc[1] < len(items) else None
            item = raw.get("id") if isinstance(raw, dict) else None
            item = item or f"#{loc[1] + 1}"
            loc = loc[2:]
        key = _key_path(loc)
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        reason = err["msg"].removeprefix("Value error, ") + _allowed(err) + more
        raise RuleError(reason, file=name, item=item, key=key) from None


_UNION_TAG = re.compile(r"^([a-z][a-z-]*\[.*\]|[A-Z][A-Za-z]+)$")


def _key_path(loc: list[Any]) -> str | None:
    """Dotted key path without pydantic's union tags (a tag repeats its key, is `leaf`, or names
    a union member: `function-after[...]`, `literal[...]`, a model such as `Notice`)."""
    parts: list[str] = []
    for part in map(str, loc):
        if part == "leaf" or (parts and parts[-1] == part) or _UNION_TAG.match(part):
            continue
        parts.append(part)
    return ".".join(parts) or None


def _allowed(err: Any) -> str:
    expected = (err.get("ctx") or {}).get("expected")
    return f"; allowed: {expected}" if expected else ""


# The packages whose code can change a decision: the fact schema and derived formulas, the rule
# language and its checks, the compiler, encoding, evaluator and amount arithmetic. Explanation
# wording, exports and storage are left out: they change how a decision reads, not what it is.
DECISION_PACKAGES = ("facts", "rules", "decide")
ENGINE_DIR = Path(__file__).resolve().parents[1]


@functools.cache
def decision_code_digest() -> str:
    """The hash of this installation's decision-relevant engine source, computed once."""
    return code_digest(ENGINE_DIR)


def code_digest(engine_dir: Path) -> str:
    """A hash of the decision-relevant source under `engine_dir` (read as bytes, not imported)."""
    digest = hashlib.sha256()
    for package in DECISION_PACKAGES:
        for path in sorted((engine_dir / package).rglob("*.py")):
            rel = path.relative_to(engine_dir).as_posix()
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def rule_sources(rules_dir: Path | str | None = None) -> dict[str, str]:
    """Every rule file under `rules_dir` (default: the project's rules/) as {relative path: text},
    in path order: what a rules version is made of, and what a screening run stores so that its
    explanations can be rebuilt after the files have changed."""
    root = Path(rules_dir) if rules_dir else DEFAULT_RULES_DIR
    paths = sorted(root.rglob("*.yaml"))
    if not paths:
        raise RuleError(f"no rule files (*.yaml) under {root}")
    sources = {}
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            sources[rel] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RuleError(f"not UTF-8 text: {exc}", file=rel) from None
    return sources


def load_catalog(rules_dir: Path | str | None = None) -> Catalog:
    """Load, validate and check every rule file under `rules_dir` (default: the project's rules/).

    Returns:
        The Catalog; its `version` hashes the files' bytes together with the engine code that
        can change a decision (so a changed formula is a new rules version, like a changed rule).

    Raises:
        RuleError: naming file, item and key of the first problem found.
    """
    return catalog_from_sources(rule_sources(rules_dir))


def catalog_from_sources(sources: dict[str, str]) -> Catalog:
    """The Catalog of rule files given as {relative path: text} (see rule_sources); the same
    files give the same version whether they are read from disk or from a stored run."""
    if not sources:
        raise RuleError("no rule files")
    digest = hashlib.sha256(decision_code_digest().encode())
    files: list[tuple[str, RuleFile]] = []
    for rel in sorted(sources):
        text = sources[rel]
        digest.update(rel.encode() + b"\0" + text.encode("utf-8") + b"\0")
        files.append((rel, parse_rule_file(rel, parse_yaml(text, rel))))
    catalog = replace(Catalog.assemble(files, version=digest.hexdigest()[:16]),
                      sources=dict(sorted(sources.items())))
    check_catalog(catalog)
    return catalog

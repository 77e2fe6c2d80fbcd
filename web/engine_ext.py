"""One compiled Engine per process, built on first use and shared by every request and app.

Compiling registers durable_rules rulesets, so doing it per request (or per test app) would be
slow and would leak rulesets; Engine.assess is thread-safe, so one instance serves all threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from engine import Engine, FactUse, fact_usage, fields_read, load_catalog

_lock = threading.Lock()
_engines: dict[str | None, Engine] = {}
_usage: dict[str | None, dict[str, tuple[FactUse, ...]]] = {}
_read: dict[str | None, frozenset[str]] = {}


def _key() -> str | None:
    rules_dir = current_app.config.get("RULES_DIR")
    return str(rules_dir) if rules_dir else None


def get_engine() -> Engine:
    """The process's engine for the configured rules directory."""
    key = _key()
    with _lock:
        if key not in _engines:
            catalog = load_catalog(Path(key)) if key else None
            _engines[key] = Engine(catalog)
        return _engines[key]


def get_usage() -> dict[str, tuple[FactUse, ...]]:
    """Profile field -> items and clauses that read it, for the engine in use."""
    engine = get_engine()
    key = _key()
    with _lock:
        if key not in _usage:
            _usage[key] = fact_usage(engine.compiled)
        return _usage[key]


def get_read_by_any() -> frozenset[str]:
    """The profile fields some item of the catalog reads (the others, a company's name say, are
    asked of every firm)."""
    engine = get_engine()
    key = _key()
    with _lock:
        if key not in _read:
            _read[key] = fields_read(engine.compiled)
        return _read[key]

"""Decide: the catalog compiled into durable_rules and profiles assessed against it.

Owns the compiler, the runtime (the only module that imports durable_rules), the encoding of facts
and literals as durable_rules compares them, three-valued logic, the evaluator that combines fired
rules into decisions, amounts in Decimal, stacking, gaps to eligibility, paths to eligibility (the
smallest confirmed changes, paths.py), the decision objects, rule examples and fact usage.

Imports engine.rules, engine.facts and engine.errors; no database, web framework or CLI.
"""

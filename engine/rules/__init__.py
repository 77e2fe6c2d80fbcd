"""Rules: the declarative rule language and the catalog of support items read from rules/*.yaml.

Owns the pydantic models of rule files, strict loading (duplicate keys and unknown keys refused),
the walks over criteria trees and amount expressions, the one parser of rule literals, and the
checks run at load time (facts, operators, citations, versions, contradictions), the rounds a
catalog holds (rounds.py) and which programs are for which region (regions.py).

Imports engine.facts and engine.errors only: a rule is checked against the fact namespace, never
evaluated here.
"""

"""Facts: what the engine knows about a company.

Owns the profile schema (every fact optional, with its zh/en label, unit and topic), the unified
social credit code check, fact kinds, the quantities derived from profile fields (R&D intensity,
firm age, ...), the one namespace of everything a rule may test, and money (Decimal yuan, rounded
to the fen, shown in yuan or 万元).

The bottom layer: imports only engine.errors and pydantic.
"""

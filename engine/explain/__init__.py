"""Explain: decisions and rules put into words and into their stable JSON form.

Owns display labels (zh-CN first, English second), the text of a decision criterion by criterion,
the words of an amount expression, the catalog view officials read, the decision JSON both ways
(docs/output.md), rounds in words, and the firm's summary (groups, total, paths).

Imports engine.decide, engine.rules, engine.facts and engine.errors; no database, web or CLI.
"""

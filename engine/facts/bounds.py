"""The one set of limits every fact obeys, wherever it comes from (form, API, applicant list, store).

Why these numbers: money stops at 10^13 yuan (ten trillion, above any firm's figures) with at most
two decimal places, well inside what the engine compares exactly (integer fen below 10^18,
engine/decide/encoding.py) and what a double shown in a spreadsheet still holds to the cent;
counts stop at ten million (more staff than any employer has, more months than any
loan runs); dates lie between 1900 and 2100, so that date arithmetic (a firm's age, a year added to
a certificate date) can never leave Python's calendar; a company name fits the store's column.
A value outside is a field error, never a stored value that breaks a later screening.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONEY_MAX = Decimal(10) ** 13  # yuan
MONEY_PLACES = 2
MONEY_DIGITS = 16  # 10^13 has 14 whole digits, plus two decimal places
COUNT_MAX = 10_000_000
POINTS_PLACES = 4
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
NAME_MAX = 200  # companies.name is VARCHAR(200)
INPUT_MAX_CHARS = 40  # longest number or date a person may type; longer text is refused unread


def date_in_range(value: dt.date) -> bool:
    """True for a date the engine can work with (an assessment date, say)."""
    return DATE_MIN <= value <= DATE_MAX

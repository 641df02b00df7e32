"""Dates known to the day, the month or the year ("in January", "in 2019"): read and shown.

A partial date is stored as its first day and a precision; it is written as ISO 8601 cut to
what is known: "2020-01-07", "2020-01" or "2020".
"""

from __future__ import annotations

import datetime
import re

from tracker.choices import DatePrecision

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse(text: str) -> tuple[datetime.date, str]:
    """ "2020-01-07", "2020-01" or "2020" as (its first day, its precision); ValueError else."""
    match = _PARTIAL.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date such as 2020-01-07, 2020-01 or 2020")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        when = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date: {error}") from None
    return when, str(precision)


def iso(when: datetime.date | None, precision: str) -> str | None:
    """The date as ISO 8601 cut to its precision, or None when there is none."""
    if when is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{when.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{when.year:04d}-{when.month:02d}"
    return when.isoformat()


def shown(when: datetime.date | None, precision: str) -> str:
    """The date as a reader reads it: "7 January 2020", "January 2020", "2020"."""
    if when is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(when.year)
    if precision == DatePrecision.MONTH:
        return when.strftime("%B %Y")
    return f"{when.day} {when.strftime('%B %Y')}"


def truncated(when: datetime.date, precision: str) -> datetime.date:
    """The first day of the month or year a date of that precision stands for."""
    if precision == DatePrecision.YEAR:
        return when.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return when.replace(day=1)
    return when

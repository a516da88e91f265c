"""Resolves the relative dates of news prose against the article's publication date.

"On Thursday" in an article published Friday 2025-03-07 means 2025-03-06: a bare weekday is the latest
such day on or before publication, "next Tuesday" the first one after it, "last month" the calendar month
before, "in December" the latest December not after publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]

# A month as news prose writes it before a day: "August 15", or in AP style "Aug. 15", "Sept. 5".
_ABBREVIATED = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_MONTH_BEFORE_DAY = "|".join(m.capitalize() for m in MONTHS) + rf"|{_ABBREVIATED}\."
# "Nov. 17" names a day, not someone called Nov
ABBREVIATED_DAY = re.compile(rf"{_ABBREVIATED}\.?\s+\d{{1,2}}\b")


def month_number(word: str) -> int:
    """1-12 for a month's name or abbreviation ("Sept." is 9)."""
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(word.lower().rstrip(".")[:3]))


RESOLVED_DATE = re.compile(r"\s*\(\d{4}-\d{2}(?:-\d{2})?\)")  # "(2025-03-06)" written after "on Thursday"

_PATTERN = re.compile(
    r"\b(?:(?P<rel>next|last|this|on|since|by|until|from)\s+)?(?P<day>" + "|".join(WEEKDAYS) + r")\b"
    r"(?!,?\s+(?:" + _MONTH_BEFORE_DAY + r")\s+\d)"  # "Sunday, Sept. 26": the date that follows tells the day
    r"|\b(?P<simple>yesterday|today|tomorrow|tonight|overnight)\b"
    r"|\b(?P<period_rel>last|this|next)\s+(?P<period>week|month|year)\b"
    r"|\b(?P<md_month>" + _MONTH_BEFORE_DAY + r")\s+(?P<md_day>\d{1,2})\b(?!,?\s*\d{4})"
    r"|\b(?:in|since|by|until|last|this|early|late|mid-?)\s*(?P<month>" + "|".join(m.capitalize() for m in MONTHS)
    + r")\b(?!\s+\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Resolved:
    start: int  # within the sentence
    end: int
    text: str
    value: str  # ISO date, or YYYY-MM for a month, or YYYY for a year


def _month_before(d: date) -> str:
    first = d.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


# Words that tell of what is still to come ("would begin", "is due to start"). In the clause before a bare
# month they make it the next such month, not the last.
AHEAD = re.compile(
    r"\b(?:will|would|shall|won't|wouldn't|going to"
    r"|(?:plans?|planned|expected|set|scheduled|due|slated|likely|aims?|intends?|poised) to)\b", re.I,
)
_AHEAD_IN_CLAUSE = re.compile(AHEAD.pattern + r"[^,;:()]*$", re.I)


def _told_as_ahead(before: str) -> bool:
    return _AHEAD_IN_CLAUSE.search(before) is not None


def _resolve(m: re.Match, published: date) -> str | None:
    if m.group("day"):
        target = WEEKDAYS.index(m.group("day").lower())
        rel = (m.group("rel") or "").lower()
        if rel == "next":
            delta = (target - published.weekday()) % 7 or 7
            return (published + timedelta(days=delta)).isoformat()
        back = (published.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return (published - timedelta(days=back)).isoformat()
    if m.group("simple"):
        offset = {"yesterday": -1, "tomorrow": 1}.get(m.group("simple").lower(), 0)
        return (published + timedelta(days=offset)).isoformat()
    if m.group("period"):
        rel, period = m.group("period_rel").lower(), m.group("period").lower()
        if period == "week":
            monday = published - timedelta(days=published.weekday())
            shift = {"last": -7, "this": 0, "next": 7}[rel]
            return f"week of {(monday + timedelta(days=shift)).isoformat()}"
        if period == "month":
            if rel == "last":
                return _month_before(published)
            if rel == "this":
                return f"{published.year:04d}-{published.month:02d}"
            nxt = (published.replace(day=28) + timedelta(days=4)).replace(day=1)
            return f"{nxt.year:04d}-{nxt.month:02d}"
        return str(published.year + {"last": -1, "this": 0, "next": 1}[rel])
    if m.group("md_month"):
        month, day = month_number(m.group("md_month")), int(m.group("md_day"))
        candidates = []
        for year in (published.year - 1, published.year, published.year + 1):
            try:
                candidates.append(date(year, month, day))
            except ValueError:
                continue
        return min(candidates, key=lambda d: abs(d - published)).isoformat() if candidates else None
    if m.group("month"):
        month = MONTHS.index(m.group("month").lower()) + 1
        year = published.year if month <= published.month else published.year - 1
        if m.group(0).lower().startswith(("by", "until")) and month > published.month:
            year = published.year  # "by September" in June looks ahead
        if _told_as_ahead(m.string[: m.start()]):  # "will close its ward in January", written in November
            year = published.year if month >= published.month else published.year + 1
        return f"{year:04d}-{month:02d}"
    return None


def resolve(sentence: str, published: date | None) -> list[Resolved]:
    if published is None:
        return []
    found = []
    for m in _PATTERN.finditer(sentence):
        try:
            value = _resolve(m, published)
        except (OverflowError, ValueError):  # "tomorrow" on the last day of the calendar: leave it as written
            continue
        if value:
            found.append(Resolved(m.start(), m.end(), m.group(0), value))
    return found


_EXPLICIT = re.compile(
    r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b"
    r"|\b(?P<month>" + _MONTH_BEFORE_DAY + r")(?:\s+(?P<day>\d{1,2}))?,?\s+(?P<year>\d{4})\b"
    r"|\b(?:in|during|since|after|from)\s+(?P<bare_year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)


def earliest_reported(question: str) -> date | None:
    """The earliest day an article could report on what a question dates explicitly ("in March 2025",
    "on March 6, 2025", "in 2024"): news is published on or after the events it reports."""
    starts = []
    for m in _EXPLICIT.finditer(question):
        try:
            if m.group("iso"):
                starts.append(date.fromisoformat(m.group("iso")))
            elif m.group("month"):
                month = month_number(m.group("month"))
                starts.append(date(int(m.group("year")), month, int(m.group("day") or 1)))
            else:
                starts.append(date(int(m.group("bare_year")), 1, 1))
        except ValueError:
            continue
    return min(starts) if starts else None


# A period the question sets relative to the day it is asked, and its length in days.
_ASKED_PERIOD = re.compile(
    r"\b(today|tonight|yesterday|days ago|this (?:past )?week(?:end)?|(?:last|past) week(?:end)?|this month"
    r"|last month|this year)\b"
)
_PERIOD_DAYS = {"today": 1, "tonight": 1, "yesterday": 2, "days ago": 7, "this month": 31, "last month": 62}
DATE_SLACK_DAYS = 3  # publication dates read from urls or feeds are off by a day or two


def asked_window(question: str, asked_on: date) -> tuple[date, date] | None:
    """The days in which a report can tell what the question asks, when it sets its period relative to
    the day it is asked ("Which singer hosts the Tonys this year?", "Which film topped the box office last
    weekend?"): the period before `asked_on` and as long again after it (reports follow their events), with
    a few days of slack; "this year" is the calendar year. An article of 2018 answers neither. None when the
    question sets no such period. Lower case only, but for the question's first word: "Business Today" is
    an outlet."""
    m = _ASKED_PERIOD.search(question[:1].lower() + question[1:])
    if m is None:
        return None
    period = m.group(1)
    if period == "this year":
        return date(asked_on.year, 1, 1), date(asked_on.year, 12, 31)
    days = _PERIOD_DAYS.get(period) or (14 if period.startswith("last") else 7)
    reach = timedelta(days=days + DATE_SLACK_DAYS)
    return max(asked_on, date.min + reach) - reach, min(asked_on, date.max - reach) + reach  # year 1 to 9999


_LEADING_PREPOSITION = re.compile(r"^(?:on|since|by|until|from|in)\s+", re.IGNORECASE)


def anchor_relative_dates(answer: str, mentions: list[tuple[str, str]]) -> str:
    """Put the resolved date after a relative one the answer repeats from its evidence: "on Thursday"
    becomes "on Thursday (2025-03-06)". `mentions`: (expression as the cited sentence wrote it, value).
    A reader of the answer has no publication date to count back from; the cited sentence's own
    resolution is what the answer means. "Aug. 15, 2025" has its year already."""
    for text, value in mentions:
        if value.startswith("week of") or value in answer:
            continue
        core = _LEADING_PREPOSITION.sub("", text)
        m = re.search(rf"\b{re.escape(core)}(?!\w)(?!\s*\(|,?\s*\d{{4}})", answer, re.IGNORECASE)
        if m:
            answer = f"{answer[: m.end()]} ({value}){answer[m.end():]}"
    return answer

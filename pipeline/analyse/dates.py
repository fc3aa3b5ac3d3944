"""Calendar days, periods and task deadlines in a notice's text.

Patterns live in `rules/dates.jsonl`; this module turns their matches into `DateMention`s and
`Period`s, keeping only real calendar days.

    find_dates(text, offset=0)  -> [DateMention]   every calendar day, in text order
    find_periods(text, offset=0) -> [Period]       quarters, half-years, months, years, spans
    parse_deadline(sentence)    -> (date, text, Period)  the deadline a task sentence states
"""
from __future__ import annotations

import calendar
import re
import datetime as dt
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse.text import ROMAN, Taken, ocr_int, span
from pipeline.model import DateMention, Period

RULES = "dates.jsonl"
_DIGIT = re.compile(r"\d")


def _date(y: int | None, m: int | None, d: int | None) -> Optional[dt.date]:
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """Every calendar day written in `text` (`29/3/2021`, `ngày 02 tháng 4 năm 2021`, `17-3-2021`,
    `ngày 22\\ntháng 3 năm 2011`, the first day of `từ ngày 23 tháng 7 đến ngày 12 tháng 8 năm
    2008`), invalid days (`31/2/2021`) dropped; spans are offsets into `text` plus `offset`."""
    return [DateMention(value=v, text=text[s:e], span=span(s, e, offset)) for s, e, v in _days(text)]


@lru_cache(maxsize=64)
def _days(text: str) -> tuple[tuple[int, int, dt.date], ...]:
    """(start, end, day) of every calendar day in `text`, in text order. Cached: the notice's
    text and each task sentence are read for days again by `find_periods`."""
    p = rules.patterns(RULES)
    found: list[tuple[int, int, dt.date]] = []
    taken = Taken()
    for rid in ("date-verbal", "date-numeric", "date-partial-range"):
        for m in p[rid].finditer(text):
            g = m.groupdict()
            if rid == "date-verbal":
                value = _date(int(g["y"]), ocr_int(g["m"]), ocr_int(g["d"]))
            elif rid == "date-numeric":
                value = _date(int(g["y"]), int(g["m"]), int(g["d"]))
            else:
                value = _date(int(g["y"]), int(g["m"] or g["m2"]), int(g["d"]))
            if value is None or taken.overlaps(m.start(), m.end()):
                continue
            taken.add(m.start(), m.end())
            found.append((m.start(), m.end(), value))
    found.sort()
    return tuple(found)


def _period(kind: str, g: dict) -> Optional[tuple[dt.date, dt.date]]:
    try:
        if kind == "quarter":
            q = ROMAN.get(g["q"].upper()) or int(g["q"])
            y = int(g["y"])
            return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        if kind == "half":
            y = int(g["y"])
            return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if g["h"].lower() == "đầu" else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        if kind == "month":
            y, mo = int(g["y"]), int(g["m"])
            return dt.date(y, mo, 1), _month_end(y, mo)
        if kind == "months":
            y, m1, m2 = int(g["y"]), int(g["m1"]), int(g["m2"])
            return (dt.date(y, m1, 1), _month_end(y, m2)) if m1 < m2 else None
        if kind == "quarters":
            y = int(g["y"])
            q1, q2 = (ROMAN.get(g[k].upper()) or int(g[k]) for k in ("q1", "q2"))
            return (dt.date(y, 3 * q1 - 2, 1), _month_end(y, 3 * q2)) if q1 < q2 <= 4 else None
        if kind == "year":
            y = int(g["y"])
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if kind == "school-year":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if y2 != y1 + 1:
                return None
            return dt.date(y1, 9, 1), dt.date(y2, 8, 31)
        if kind == "range":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if not (y1 < y2 <= y1 + 50):
                return None
            return dt.date(y1, 1, 1), dt.date(y2, 12, 31)
    except (ValueError, KeyError, TypeError):
        return None
    return None


# spans first: `tháng 10-12/2026` is one period, not the month 12
_PERIOD_RULES = ("period-school-year", "period-quarters", "period-months", "period-quarter", "period-half",
                 "period-range", "period-month", "period-year")


def find_periods(text: str, offset: int = 0) -> list[Period]:
    """Quarters (`Quý II/2021`), half-years, months (`tháng 5/2021`), years (`năm 2022`), spans of
    years (`giai đoạn 2021-2030`, `nhiệm kỳ 2026 - 2031`) and school years (`năm học 2021-2022`,
    1 September to 31 August), each with its first and last day. A month or year that is part
    of a full date is not a period."""
    p = rules.patterns(RULES)
    kinds = {r.id: r.kind for r in rules.pattern_rules(RULES)}
    taken = Taken((s, e) for s, e, _ in _days(text))
    out: list[tuple[int, Period]] = []
    for rid in _PERIOD_RULES:
        for m in rules.finditer(p[rid], text):
            if taken.overlaps(m.start(), m.end()):
                continue
            se = _period(kinds[rid], m.groupdict())
            if se is None:
                continue
            taken.add(m.start(), m.end())
            out.append((m.start(), Period(kind=kinds[rid], start=se[0], end=se[1],
                                          text=m.group(0).strip(), span=span(m.start(), m.end(), offset))))
    out.sort(key=lambda t: t[0])
    return [pd for _, pd in out]


def parse_deadline(sentence: str) -> tuple[Optional[dt.date], Optional[str], Optional[Period]]:
    """The deadline a task sentence states, as (date, the words that state it, period).

    `trước 30/6/2021`, `trước ngày 15/7/2021`, `chậm nhất ngày 20/5/2021` → that day;
    `hoàn thành trong tháng 5/2021`, `trong tháng 6 năm 2021` → the month's last day, with the
    month as period; `trước tháng 6/2021` → the day before it starts; `hoàn thành trong Quý
    III/2021` (or a year, a half-year) → its last day; `trước Quý III/2021`, `Thời gian thực
    hiện: Quý II/2021` → the quarter as period and no day. A date that only
    dates a cited document (`Thông báo số 105/TB-UBND ngày 17/3/2021`) is no deadline.
    """
    if not _DIGIT.search(sentence):
        return None, None, None     # every rule needs a year or a day in digits
    p = rules.patterns(RULES)
    for m in p["deadline-cue"].finditer(sentence):
        for start, end, day in _days(sentence):
            if start == m.end() or (start < m.end() < end):
                return day, sentence[m.start():end].strip(), None
    for m in p["deadline-month-cue"].finditer(sentence):
        for pd in find_periods(sentence):
            if pd.span.start != m.end():
                continue
            words = sentence[m.start():pd.span.end].strip()
            before = "trước" in m.group("cue").lower().split()
            if pd.kind in ("month", "months"):
                if before:
                    return pd.start - dt.timedelta(days=1), words, pd
                return pd.end, words, pd
            if pd.kind in ("year", "half", "quarter", "quarters") and not before and any(
                    w in m.group("cue").lower() for w in ("hoàn thành", "xong", "chậm nhất")):
                return pd.end, words, pd
            return None, words, pd
    return None, None, None


def cell_deadline(cell: str) -> tuple[Optional[dt.date], Optional[str], Optional[Period]]:
    """The deadline the time cell of a task table gives (../shared/eval/README.md, *Task
    tables*): what a body sentence's cue says first (`Trước 30/6/2026`, `Trước tháng 6/2026`);
    else the last day the cell names (`Từ 01/7 đến 15/7/2026` → 15 July), else the last day of
    the period it names (`Tháng 3/2026`, `Quý III/2026`, `6 tháng đầu năm 2026`, `Năm 2026`);
    `Thường xuyên`, `Hằng năm` give none. The cell holds a time and nothing else, so no cue
    word is needed as it is in a sentence."""
    text = " ".join(cell.split())
    if not text:
        return None, None, None
    day, words, period = parse_deadline(text)
    if day is not None:
        return day, words, period
    days = find_dates(text)
    if days:
        return max(d.value for d in days), text, None
    periods = find_periods(text)
    if periods:
        last = max(periods, key=lambda p: p.end)
        return last.end, text, last
    return None, None, None

"""Which files are one notice. Pure: header fields in, groups of doc_ids out; no database.

An archive keeps one notice as several files (the Word draft, the PDF from the portal, the
signed scan), and NĐ 30/2020 Phụ lục VI asks it to flag duplicates on số, ký hiệu and cơ quan
ban hành. Two files are one notice when
- their **fuzzy keys** agree: the symbol folded so that an OCR slip does not count (`Đ`/`D`,
  `0`/`O`, `1`/`I`/`l`, spaces, punctuation, case), the number likewise or blank on one side
  (a draft's `Số: /TB-SKHCN`), the issuer (`documents.issuer_key`, folded), the year;
- and their **trích yếu** reads the same (a similarity over the folded subjects).
Anything that differs where both files say something keeps them apart: the same number in
another year, the same trích yếu from another issuer, two numbers of one symbol.

`group_files` decides over a whole set at once, in an order that depends only on the files
(the best-reading file first), so importing the same files in any order gives the same groups.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional, Sequence

from pipeline.store.fold import fold

# what a file is to its notice, by the format ingest read it as (`scan`: a PDF that was OCRed)
ROLES = {"docx": "draft", "doc": "draft", "pdf": "published", "txt": "text",
         "scan": "signed scan", "image": "signed scan"}
# among files that read as text and carry as full a header, the one whose layout the readers
# follow best comes first (Word's own structure, then a PDF's text layer, then plain text)
_ROLE_ORDER = {"draft": 0, "published": 1, "text": 2, "other": 3, "signed scan": 4}

# a trích yếu must read this alike (0..1 over the folded text) for two files to be one
# notice: OCR slips and a dropped word stay above it, another matter falls below it
SUBJECT_ALIKE = 0.75

# letters OCR and typists swap for digits, read as the digit (after `fold` lowered the case)
_SLIPS = str.maketrans({"o": "0", "i": "1", "l": "1"})


def role_of(fmt: Optional[str]) -> str:
    """`docx` → `draft`, `pdf` → `published`, `scan` → `signed scan`."""
    return ROLES.get(fmt or "", "other")


def fuzzy(text: Optional[str]) -> Optional[str]:
    """`QĐ-UBND`, `QD - UBND`, `qđ.ubnd` → `qdubnd`; `1O5` → `105`; blank → None."""
    if not text:
        return None
    key = "".join(ch for ch in fold(text).translate(_SLIPS) if ch.isalnum())
    return key or None


def _number_parts(number: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """`52/2016` → (`52`, `2016`); `454` → (`454`, None); blank → (None, None)."""
    if not number:
        return None, None
    head, _, year = number.partition("/")
    return fuzzy(head), fuzzy(year)


@lru_cache(maxsize=4096)
def _subject_text(subject: Optional[str]) -> str:
    return " ".join(fold(subject).split()) if subject else ""


# group_files compares every file with every member of a group, up to three times a pair, and
# a block of many copies of one notice repeats the same trích yếu: remembered, not recomputed
@lru_cache(maxsize=16384)
def _ratio(sa: str, sb: str) -> float:
    if sa == sb:
        return 1.0
    return SequenceMatcher(None, sa, sb, autojunk=False).ratio()


@dataclass(frozen=True)
class FileKey:
    """What a stored file says about which notice it is (a `documents` row, in short)."""

    doc_id: str
    issuer_key: Optional[str] = None
    number: Optional[str] = None
    symbol: Optional[str] = None
    issued_date: Optional[dt.date] = None
    subject: Optional[str] = None
    role: str = "other"
    header_fields: int = 0          # how many header fields were read: the fuller, the better

    @property
    def match_key(self) -> Optional[str]:
        """The fuzzy symbol: files with different ones are never one notice."""
        return fuzzy(self.symbol)

    @property
    def year(self) -> Optional[str]:
        if self.issued_date:
            return str(self.issued_date.year)
        return _number_parts(self.number)[1]


def read_order(f: FileKey) -> tuple:
    """Best-reading file first: text over scans, then the fullest header, then the layout the
    readers follow best; the doc_id settles the rest, so the order depends on the files only."""
    return (f.role == "signed scan", -f.header_fields, _ROLE_ORDER.get(f.role, 3), f.doc_id)


def subject_similarity(a: FileKey, b: FileKey) -> Optional[float]:
    """0..1 over the folded trích yếu of both files; None when one of them has none."""
    sa, sb = _subject_text(a.subject), _subject_text(b.subject)
    if not sa or not sb:
        return None
    return _ratio(sa, sb)


def conflict(a: FileKey, b: FileKey) -> Optional[str]:
    """Why `a` and `b` cannot be one notice (something both say, said differently), or None."""
    (na, ya), (nb, yb) = _number_parts(a.number), _number_parts(b.number)
    both = lambda x, y: x is not None and y is not None and x != y  # noqa: E731
    if both(a.match_key, b.match_key):
        return "symbol"
    if both(na, nb):
        return "number"
    if both(a.year, b.year) or both(ya, yb):
        return "year"
    if both(fuzzy(a.issuer_key), fuzzy(b.issuer_key)):
        return "issuer"
    # a day misread on one copy is forgiven only when the number vouches for it
    if both(a.issued_date, b.issued_date) and not (na and na == nb):
        return "date"
    alike = subject_similarity(a, b)
    if alike is not None and alike < SUBJECT_ALIKE:
        return "subject"
    return None


def same_notice(a: FileKey, b: FileKey) -> bool:
    """Whether `a` and `b` are files of one notice: nothing apart, and enough alike.

    Enough is the symbol and a year on both, and either the same number or, when a number is
    blank, the issuer, the day and the trích yếu on both."""
    if conflict(a, b) or a.match_key is None or a.match_key != b.match_key:
        return False
    if a.year is None or b.year is None:
        return False
    (na, _), (nb, _) = _number_parts(a.number), _number_parts(b.number)
    if na is not None and na == nb:
        return True
    return (a.issuer_key is not None and b.issuer_key is not None
            and a.issued_date is not None and a.issued_date == b.issued_date
            and subject_similarity(a, b) is not None)


def group_fit(f: FileKey, group: Sequence[FileKey]) -> Optional[float]:
    """How well `f` joins `group`: its best trích yếu likeness to a member it is the same notice
    as; None when it is none's, or conflicts with any."""
    if any(conflict(f, m) for m in group):
        return None
    scores = [subject_similarity(f, m) or 0.0 for m in group if same_notice(f, m)]
    return max(scores) if scores else None


def group_files(files: Sequence[FileKey]) -> list[list[str]]:
    """The files as notices: lists of doc_ids, each list's best-reading file first.

    Files are taken best-reading first; each joins the group it is most alike to among the
    groups it matches a member of and conflicts with no member of (so a draft with a blank
    number never joins two numbered notices together), or starts a group of its own."""
    groups: list[list[FileKey]] = []
    # a file can only join a group holding a member of its number or of its day (what
    # `same_notice` asks), so only those groups are looked at: a symbol shared by thousands
    # of notices of one issuer costs linear time, not quadratic
    by_number: dict[str, set[int]] = {}
    by_day: dict[dt.date, set[int]] = {}
    for f in sorted(files, key=read_order):
        number, day = _number_parts(f.number)[0], f.issued_date
        candidates = by_number.get(number, set()) if number is not None else set()
        candidates = candidates | (by_day.get(day, set()) if day is not None else set())
        best, best_score = None, -1.0
        for i in sorted(candidates):
            score = group_fit(f, groups[i])
            if score is not None and score > best_score:
                best, best_score = i, score
        if best is None:
            best = len(groups)
            groups.append([f])
        else:
            groups[best].append(f)
        if number is not None:
            by_number.setdefault(number, set()).add(best)
        if day is not None:
            by_day.setdefault(day, set()).add(best)
    return [[m.doc_id for m in g] for g in groups]

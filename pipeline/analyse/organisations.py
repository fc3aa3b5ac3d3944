"""Bodies and units named in a notice (`Sở Tài chính`, `Phòng Quản lý Khoa học`, `UBND tỉnh
Quảng Ngãi`, `Bộ Ngoại giao`), normalised through the abbreviations of `rules/abbreviations.tsv`,
and the unit a task sentence opens with.

A name opens with a head word of `rules/org_heads.txt` and runs on over capitalised syllables,
the lower-case syllables that finish a capitalised word (`Tài chính`, `Ngoại giao`), `và`, `-`
and `, ` between capitalised words, and the level words of local government after `UBND`
(`tỉnh`, `các huyện, thị xã, thành phố`); it ends at punctuation, at another head, or at a
word of `rules/task_roles.tsv` that opens the predicate (`chủ trì`, `phối hợp`, `làm`). Rules
only: underthesea's pos_tag is fast (under 1 ms a sentence) but tags `chủ trì` as a noun.

    find_organisations(text, offset=0) -> [Organisation]
    expand_abbreviations(s) -> str
    unit_at_start(sentence) -> str | None
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse.text import fold_key, norm_space, span
from pipeline.model import Organisation

_TOKEN = re.compile(r"[^\W_][\w&.\-]*[\w&]|[^\W_]|[,;:()\[\]“”\"/]|[-–]")
_LEVELS = ("tỉnh", "thành phố", "huyện", "thị xã", "quận", "xã", "phường", "thị trấn", "các", "cấp tỉnh", "cấp huyện", "cấp xã")
_LOCAL_HEADS = {"UBND", "HĐND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân", "Công an",
                "Tòa án nhân dân", "Toà án nhân dân", "Viện kiểm sát nhân dân", "Kho bạc Nhà nước", "Kho bạc",
                "Cục Thuế", "Bộ Chỉ huy", "Ủy ban Mặt trận Tổ quốc", "UBMTTQ", "Mặt trận Tổ quốc"}
_OPENERS = re.compile(r"^\s*(?:(?:Giao|Đề\s+nghị|Yêu\s+cầu|Chỉ\s+đạo|Giao\s+cho|Ủy\s+quyền\s+cho|Uỷ\s+quyền\s+cho)"
                      r"(?:\s+(?:Giám\s+đốc|Thủ\s+trưởng|Chủ\s+tịch|Trưởng\s+ban|Chánh\s+Văn\s+phòng))?\s*:?\s+)?", re.I)
_MAX_WORDS = 14


@lru_cache(maxsize=None)
def _vocab():
    heads = sorted(rules.words("org_heads.txt"), key=len, reverse=True)
    head_re = re.compile(r"(?<![\w&/.\-])(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads) + r")(?![\w&/]|-\w)")
    stops = sorted({r["phrase"] for r in rules.table("task_roles.tsv")}, key=len, reverse=True)
    stop_re = re.compile(r"(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in stops) + r")(?!\w)")
    abbr = {r["abbreviation"]: r["expansion"] for r in rules.table("abbreviations.tsv")}
    keys = sorted(abbr, key=len, reverse=True)
    abbr_re = re.compile(r"(?<![\w&.\-/])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + r")(?![\w&]|[\-/]\w)")
    kinds = {r["abbreviation"]: r["kind"] for r in rules.table("abbreviations.tsv")}
    return head_re, stop_re, abbr, abbr_re, kinds


@lru_cache(maxsize=None)
def _names():
    return frozenset(rules.words("surnames.txt")), tuple(rules.words("places.txt"))


def expand_abbreviations(s: str) -> str:
    """`Trung tâm Ứng dụng và DVKH&CN` → `Trung tâm Ứng dụng và Dịch vụ Khoa học và Công nghệ`;
    `GĐ Sở` → `Giám đốc Sở`; `UBND tỉnh` → `Ủy ban nhân dân tỉnh`."""
    _, _, abbr, abbr_re, _ = _vocab()
    return norm_space(abbr_re.sub(lambda m: abbr[re.sub(r"\s+", " ", m.group(0))], s))


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


@lru_cache(maxsize=None)
def _titles() -> re.Pattern:
    ts = sorted({r["title"] for r in rules.table("titles.tsv")}, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(t) for t in ts) + r")(?!\w)")


def _extent(text: str, start: int, head_end: int, head: str, max_lower: int = 2) -> int:
    """Where the name of the body whose head word spans [start, head_end) ends."""
    head_re, stop_re, *_ = _vocab()
    surnames, places = _names()
    pos, end, words, lower_run = head_end, head_end, 0, 0
    local = head in _LOCAL_HEADS
    while words < _MAX_WORDS:
        m = _TOKEN.search(text, pos)
        if not m or "\n" in text[pos:m.start()] or text[m.end():m.end() + 1] == "/":
            break
        gap = text[pos:m.start()]
        if gap.strip():
            break
        tok = m.group(0)
        if tok in ("và", "-", "–", ","):
            nxt = _TOKEN.search(text, m.end())
            if not nxt or not _is_cap(nxt.group(0)) or text[m.end():nxt.start()].count("\n"):
                break
            if tok == "," and (head_re.match(text, nxt.start()) or words == 0):
                break
            if _titles().match(text, nxt.start()):
                break
            if head_re.match(text, nxt.start()) and tok != "-":
                break
            pos, lower_run = m.end(), 0
            continue
        hm0 = head_re.match(text, m.start()) if words == 0 else None
        if hm0 and hm0.group(0) in _LOCAL_HEADS | {"Ủy ban", "Uỷ ban"}:
            end = pos = hm0.end()
            words, lower_run, local = 1, 0, True
            continue
        if _is_cap(tok):
            if (words > 0 and tok in surnames and not text[pos - 2:pos - 1].isupper()
                    and _is_cap(text[m.end() + 1:m.end() + 2]) and not any(text.startswith(pl, m.start()) for pl in places)):
                break                   # a person's name after the body's (Bộ … Truyền thông Nguyễn Thành Hưng)
            if words > 0 and head_re.match(text, m.start()) and not text[m.start():].startswith(("Văn phòng", "Thanh tra")):
                hm = head_re.match(text, m.start())
                if hm.group(0) not in ("Tổ quốc", "Nhà nước"):
                    break
            end, pos, words, lower_run = m.end(), m.end(), words + 1, 0
            continue
        if not tok[:1].isalpha():
            break
        if stop_re.match(text, m.start()):
            break
        if local:
            lv = next((lvl for lvl in sorted(_LEVELS, key=len, reverse=True)
                       if text.startswith(lvl, m.start()) and not text[m.start() + len(lvl):m.start() + len(lvl) + 1].isalpha()), None)
            if lv:
                end = pos = m.start() + len(lv)
                words += 1
                nxt = _TOKEN.search(text, pos)
                while nxt and nxt.group(0) == "," and text[pos:nxt.start()].strip() == "":
                    after = _TOKEN.search(text, nxt.end())
                    if after and any(text.startswith(l, after.start()) for l in _LEVELS[:6]):
                        lv2 = next(l for l in sorted(_LEVELS[:6], key=len, reverse=True) if text.startswith(l, after.start()))
                        end = pos = after.start() + len(lv2)
                        nxt = _TOKEN.search(text, pos)
                    else:
                        break
                continue
        if words == 0 or lower_run >= max_lower:
            break
        end, pos, words, lower_run = m.end(), m.end(), words + 1, lower_run + 1
    return end


def _kind(head: str) -> str:
    h = head.split()[0]
    return {"Bộ": "ministry", "Sở": "department", "Phòng": "division", "UBND": "people-committee",
            "Ủy": "committee", "Uỷ": "committee", "HĐND": "people-council", "Hội": "council",
            "Văn": "office", "Thanh": "inspectorate", "Chi": "sub-department", "Trung": "centre",
            "Ban": "board", "Cục": "department", "Tổng": "general-department", "Vụ": "department",
            "Đài": "broadcaster", "Báo": "newspaper", "Công": "police"}.get(h, "body")


def find_organisations(text: str, offset: int = 0) -> list[Organisation]:
    """Every body or unit named in `text`, distinct by normalised name, in text order."""
    head_re, *_ = _vocab()
    out, seen = [], set()
    pos = 0
    while True:
        m = head_re.search(text, pos)
        if not m:
            break
        head = re.sub(r"\s+", " ", m.group(0))
        end = _extent(text, m.start(), m.end(), head)
        pos = max(end, m.end())
        if end == m.end() and head not in ("UBND", "HĐND", "Quốc hội", "Chính phủ") and not head.endswith(("ủy", "uỷ")):
            continue                    # a bare head word (`Sở`, `các Phòng`) names nobody
        if not m.group(0)[:1].isupper():
            continue
        name = norm_space(text[m.start():end]).rstrip(" ,-–")
        normalised = expand_abbreviations(name)
        key = fold_key(normalised)
        if key in seen:
            continue
        seen.add(key)
        out.append(Organisation(name=name, normalised=normalised, kind=_kind(head), span=span(m.start(), end, offset)))
    return out


def unit_at_start(sentence: str) -> Optional[str]:
    """The unit a task sentence opens with: `Sở Y tế chủ trì…` → `Sở Y tế`; `Giao Sở Tài chính
    …` → `Sở Tài chính`; `Bộ Ngoại giao làm thủ tục …` → `Bộ Ngoại giao`; `Đồng ý cử Đoàn…` →
    None. The name is returned as written."""
    head_re, *_ = _vocab()
    o = _OPENERS.match(sentence)
    start = o.end() if o else 0
    m = head_re.match(sentence, start)
    if not m:
        return None
    head = re.sub(r"\s+", " ", m.group(0))
    end = _extent(sentence, m.start(), m.end(), head, max_lower=3)
    if end == m.end() and head not in ("UBND", "HĐND", "Chính phủ", "Quốc hội"):
        return None
    return norm_space(sentence[m.start():end]).rstrip(" ,-–") or None


def canonical_head(name: str) -> str:
    """Mend an OCR slip in the head word of a unit's name (`Chỉ cục Tiêu chuẩn…` →
    `Chi cục Tiêu chuẩn…`) by the vocabulary of head words. Only where the words after it
    are a name (capitalised) or the head has two syllables, so `Bố trí kinh phí` stays."""
    key = fold_key(name)
    for head in sorted(rules.words("org_heads.txt"), key=len, reverse=True):
        hk = fold_key(head)
        if not key.startswith(hk + " "):
            continue
        if name.startswith(head):
            return name
        rest = name[len(head):].lstrip()
        if " " in head.strip() or rest[:1].isupper():
            return head + name[len(head):]
        return name
    return name

"""Headers and signatures are typed in capitals (`SỞ KHOA HỌC VÀ CÔNG NGHỆ`, `CHÁNH VĂN
PHÒNG`); an analyst reads and groups them as the decree writes them in running text
(Nghị định 30/2020/NĐ-CP, Phụ lục II): `Sở Khoa học và Công nghệ`, `Bộ Nội vụ`, `Văn phòng
Chính phủ`, `Ủy ban nhân dân tỉnh Quảng Ngãi`, `Ủy ban nhân dân Thành phố Hồ Chí Minh`.

`body_case` writes a body's name so: its head (the kind of body: rules/org_heads.txt, as
written there), then the fields it works in, each with its first syllable capitalised (`Lao
động - Thương binh và Xã hội`), down to the administrative unit it belongs to (`tỉnh`,
lower case) and the place's name (capitalised syllable by syllable); proper names keep
their capitals wherever they stand (rules/name_case.tsv)."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import rules

_VOWELS = "aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_SYLLABLE = re.compile(rf"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(?:ng|nh|ch|[cmnpt])?$")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in rules.words("place_words.txt"))


def sentence_case(text: str) -> str:
    """All-capital text → first word capitalised, place names after tỉnh/thành phố/huyện
    capitalised, abbreviations (UBND, KH&CN) kept; mixed-case text is left as written."""
    text = re.sub(r"\s+", " ", text).strip()
    if not _is_upper(text):
        return text
    place_words = _place_words()
    out, capitalise_rest = [], False
    words = text.split(" ")
    for n, word in enumerate(words):
        bare = word.strip(",.;:()")
        # a word that is no Vietnamese syllable is an abbreviation (UBND, HĐND, KH&CN): keep it
        if not _SYLLABLE.match(bare.lower()):
            out.append(word)
            continue
        low = word.lower()
        if n == 0 or capitalise_rest:
            low = low[:1].upper() + low[1:]
        out.append(low)
        two = " ".join(w.lower() for w in words[max(0, n - 1): n + 1])
        if low.lower().rstrip(".") in place_words or two in place_words:
            capitalise_rest = True
    return " ".join(out)


@lru_cache(maxsize=1)
def _heads() -> tuple[tuple[str, str], ...]:
    """Head words as written, keyed in lower case, longest first."""
    heads = {h.lower(): h for h in rules.words("org_heads.txt")}
    return tuple(sorted(heads.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _proper() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((r["name"].lower(), r["name"]) for r in rules.table("name_case.tsv")),
                        key=lambda kv: -len(kv[0])))


_JOINERS = {"và", "-", "–", ","}


def body_case(text: str) -> str:
    """A body's name typed in capitals → as the decree writes it; a name already in mixed
    case is left as written."""
    text = re.sub(r"\s+", " ", text).strip()
    if not _is_upper(text):
        return text
    typed, words = text.split(" "), text.lower().split(" ")
    out: list[str] = []
    k = 0
    place = False                     # past the administrative unit: the place's name
    opens = True                      # the next word opens a field (after a head, `và`, `-`)
    after_joiner = False
    while k < len(words):
        rest = " ".join(words[k:])
        proper = next((name for low, name in _proper() if rest == low or rest.startswith(low + " ")), None)
        # a head opens a name: at the start, or right after another head when it is one of
        # several words (`Văn phòng` / `Ủy ban nhân dân`); inside the fields `Vụ` of `Nội vụ`,
        # `Hội` of `Xã hội`, `Phòng` of `Ban Chỉ đạo phòng, chống…` are no heads
        head = None if proper or after_joiner or not opens else \
            next((name for low, name in _heads() if (rest == low or rest.startswith(low + " "))
                  and (not out or " " in low)), None)
        unit = next((u for u in (" ".join(words[k:k + 2]), words[k].rstrip(".")) if u in _place_words()), None)
        if proper or head:
            name = proper or head
            out += name.split(" ")
            k += len(name.split(" "))
            # a party committee named for its place (`Tỉnh ủy` / `Quảng Ngãi`) names the place next
            place = place or bool(head and head.split(" ")[0].lower() in _place_words())
            opens, after_joiner = head is not None, False
            continue
        if unit and not after_joiner:
            out += unit.split(" ")    # `tỉnh`, `thành phố`: lower case; the place's name follows
            k += len(unit.split(" "))
            place, opens = True, False
            continue
        word = words[k]
        if word in _JOINERS:
            out.append(word)
            opens = after_joiner = True
        elif not _SYLLABLE.match(word.strip(",.;:()")):
            out.append(typed[k])      # an abbreviation (UBND, KH&CN) or a number (138) as typed
            opens = after_joiner = False
        else:
            out.append(word[:1].upper() + word[1:] if place or opens else word)
            opens = after_joiner = False
        k += 1
    name = " ".join(out)
    return name[:1].upper() + name[1:]

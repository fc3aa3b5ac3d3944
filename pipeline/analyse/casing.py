"""Headers and signatures are typed in capitals (`SỞ KHOA HỌC VÀ CÔNG NGHỆ`, `CHÁNH VĂN
PHÒNG`); an analyst reads and groups them better as written in running text (`Sở khoa học
và công nghệ`). Comparisons fold case anyway, so this is only about how values read."""
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

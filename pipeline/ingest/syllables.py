"""A model of Vietnamese syllables for mending OCR: which syllables exist, how often each is
written in administrative text, which follow one another.

Tesseract's Vietnamese model drops or swaps the marks it reads in three pixels (`bỗ sung` for
`bổ sung`, `Quyêt` for `Quyết`, `thẩm quyên` for `thẩm quyền`, `dự toán chỉ` for `dự toán
chi`) while it reads the letters under them well. So a word is mended among the syllables
written with the same letters (`strip_marks`), chosen by how often each is written and by
whether it makes a word with its neighbours: the dictionary's words (underthesea's Viet74K)
and the pairs that follow one another in administrative and legal text (rules/ocr/: counted
from the regression notices, the dev notices as typed, the real text PDFs and the VLSP 2013
test set that underthesea ships).

`python -m pipeline.ingest.syllables build` recounts rules/ocr/ from those texts.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.rules import RULES_DIR
from pipeline.vietnamese import strip_marks, tone_new_style

COUNTS = RULES_DIR / "ocr" / "syllables.tsv"
PAIRS = RULES_DIR / "ocr" / "pairs.tsv"
_SYLLABLE = re.compile(r"^[^\W\d_]+$")
MAX_CANDIDATES = 8                 # the likeliest spellings of a word's letters tried, besides its own


@dataclass(frozen=True)
class Lexicon:
    counts: dict[str, int]               # syllable → how often written
    total: int
    pairs: dict[tuple[str, str], int]    # two syllables in a row → how often
    words: frozenset                     # two syllables in a row that make a dictionary word
    spellings: dict[str, tuple[str, ...]]  # letters without marks → syllables, likeliest first

    def known(self, syllable: str) -> bool:
        return syllable in self.counts or syllable in self._word_syllables

    @property
    def _word_syllables(self) -> frozenset:
        return _dictionary_syllables()

    def candidates(self, syllable: str) -> tuple[str, ...]:
        return self.spellings.get(strip_marks(syllable), ())[:MAX_CANDIDATES]

    def log_count(self, syllable: str) -> float:
        return math.log((self.counts.get(syllable, 0) + 0.5) / self.total)


def nfc_lower(text: str) -> str:
    """A syllable as the lexicon keys it: NFC, lower case, the mark placed the new way."""
    return tone_new_style(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset, frozenset]:
    """Syllables of underthesea's Viet74K word list, and the pairs within its words."""
    text = (resources.files("underthesea") / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    syllables, pairs = set(), set()
    for line in text.splitlines():
        parts = nfc_lower(line).split()
        if not all(_SYLLABLE.match(p) for p in parts):
            continue
        syllables.update(parts)
        pairs.update(zip(parts, parts[1:]))
    return frozenset(syllables), frozenset(pairs)


def _dictionary_syllables() -> frozenset:
    return _dictionary()[0]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    counts: dict[str, int] = {}
    with COUNTS.open(encoding="utf-8") as f:
        for row in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
            counts[row["syllable"]] = int(row["count"])
    pairs: dict[tuple[str, str], int] = {}
    with PAIRS.open(encoding="utf-8") as f:
        for row in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
            pairs[(row["first"], row["second"])] = int(row["count"])
    syllables, words = _dictionary()
    spellings: dict[str, list[str]] = {}
    for s in set(counts) | syllables:
        spellings.setdefault(strip_marks(s), []).append(s)
    # likeliest first; ties by the letters, so that a run reads as the run before it
    ordered = {k: tuple(sorted(v, key=lambda s: (-counts.get(s, 0), s))) for k, v in spellings.items()}
    return Lexicon(counts=counts, total=sum(counts.values()) or 1, pairs=pairs, words=words,
                   spellings=ordered)


# --- counting the texts ---------------------------------------------------------------------

PHRASE_WEIGHT = 3


def _texts(repo: Path, shared: Path):
    """The texts the counts come from: typed administrative and legal Vietnamese."""
    vlsp = resources.files("underthesea") / "pipeline" / "pos_tag" / "models" / \
        "pos_crf_vlsp2013_20230303" / "test_output.txt"
    words = [ln.split("\t")[0] for ln in vlsp.read_text(encoding="utf-8").splitlines() if "\t" in ln]
    yield " ".join(words)
    for f in sorted((repo / "tests" / "data" / "notices").glob("*.txt")):
        yield f.read_text(encoding="utf-8")
    # collocations the texts hold too rarely (rules/ocr/phrases.txt), each as written thrice
    phrases = [ln.strip() for ln in (repo / "rules" / "ocr" / "phrases.txt").read_text(encoding="utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    yield "\n".join(phrases * PHRASE_WEIGHT)
    from pipeline import ingest
    for f in sorted((shared / "corpus" / "dev").glob("*.docx")) + sorted((shared / "corpus" / "real").glob("*.pdf")):
        if ".auto." in f.name or ".scan." in f.name:
            continue
        try:
            yield ingest.read(f).text
        except Exception:   # a file that cannot be read adds nothing to the counts
            continue


def build(repo: Path, shared: Path) -> tuple[int, int]:
    """Count syllables and pairs of syllables in the texts; write rules/ocr/. Returns the
    number of syllables and pairs written."""
    counts: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for text in _texts(repo, shared):
        for line in nfc_lower(text).splitlines():
            tokens = re.findall(r"[^\W\d_]+|[^\w\s]|\d+", line)
            for a, b in zip(tokens, tokens[1:] + [""]):
                if not _SYLLABLE.match(a):
                    continue
                counts[a] = counts.get(a, 0) + 1
                if b and _SYLLABLE.match(b):
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
    COUNTS.parent.mkdir(parents=True, exist_ok=True)
    source = ("# counted by `python -m pipeline.ingest.syllables build` from the VLSP 2013 test set "
              "shipped with underthesea, tests/data/notices/*.txt, rules/ocr/phrases.txt, the dev notices as typed (.docx) and "
              "the real text PDFs of ../shared/corpus")
    with COUNTS.open("w", encoding="utf-8") as f:
        f.write(f"{source}: how often each syllable is written\nsyllable\tcount\n")
        for s, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"{s}\t{c}\n")
    kept = {k: v for k, v in pairs.items() if v >= 2}
    with PAIRS.open("w", encoding="utf-8") as f:
        f.write(f"{source}: two syllables in a row, written at least twice\nfirst\tsecond\tcount\n")
        for (a, b), c in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"{a}\t{b}\t{c}\n")
    return len(counts), len(kept)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m pipeline.ingest.syllables build")
    here = Path(__file__).resolve().parents[2]
    n, m = build(here, here.parent / "shared")
    print(f"{n} syllables and {m} pairs written to {COUNTS.parent}")

"""A .docx's footnotes and endnotes → FOOTNOTE blocks, placed after everything else.

Word keeps a note's text in word/footnotes.xml (endnotes.xml), referenced from the body by a
`w:footnoteReference` run that draws its number; the body reader skips that run, so the
number is not glued to the word it follows (`01/2020/TT-BNV¹`). A note is not body text
(../shared/eval/README.md, *What real files add*): the item it stands in keeps its text whole,
and the note's citations, dates and persons still count, read from the document's text.
"""
from __future__ import annotations

from pipeline.ingest.wordstyles import W
from pipeline.ingest.xmlsafe import SafeZip, parse_xml
from pipeline.model import Block, Region

# relationship kind → (the note element, the body's reference to it)
NOTE_PARTS = {"footnotes": ("footnote", "footnoteReference"), "endnotes": ("endnote", "endnoteReference")}


def note_blocks(zf: SafeZip, path: str, rels: dict[str, str], body, reader) -> list[Block]:
    """One block per paragraph of each note the body references, in the order it references
    them, the first opening with the note's number as Word draws it (1, 2…; each kind counts
    on its own). `reader` is the docx reader's paragraph reader (runs, legacy fonts, NFC)."""
    out: list[Block] = []
    for kind, (tag, ref_tag) in NOTE_PARTS.items():
        name = rels.get(kind)
        if not name or not zf.has(name):
            continue
        root = parse_xml(zf.read(name), path, name)
        notes = {n.get(f"{W}id"): n for n in root.iter(f"{W}{tag}")
                 if n.get(f"{W}type") in (None, "normalText")}    # not the separator lines
        order = list(dict.fromkeys(r.get(f"{W}id") for r in body.iter(f"{W}{ref_tag}")))
        for number, note_id in enumerate((i for i in order if i in notes), 1):
            out += _paragraphs(notes[note_id], str(number), reader)
    return out


def _paragraphs(note, number: str, reader) -> list[Block]:
    out = []
    for p in note.iter(f"{W}p"):
        para = reader.paragraph(p, -1)
        text = " ".join(para.text.split())
        if not text:
            continue
        if not out:
            text = f"{number} {text}"
        out.append(Block(text=text, region=Region.FOOTNOTE, bold=para.bold, italic=para.italic,
                         font_size=para.font_size))
    return out

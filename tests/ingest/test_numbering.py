"""Word auto-numbering: labels as Word renders them, from small numbering.xml definitions,
and the dev notices' .auto.docx against their typed twins."""
from __future__ import annotations

import re

import pytest

from docx_factory import abstract, lvl, make_docx, num, numbered, p, start_override
from pipeline.ingest import docx
from pipeline.ingest.numbering import bullet_char, format_number
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
NOTICES = ["qngai-skhcn-tb-ketluan-2021", "haugiang-ubnd-cv-454-2011", "tw-vpcp-cv-4663-2008",
           "vinhlong-ubnd-qd-18-2009"]

FORMATS = [
    (1, "decimal", "1"), (9, "decimalZero", "09"), (12, "decimalZero", "12"),
    (1, "lowerLetter", "a"), (26, "lowerLetter", "z"), (27, "lowerLetter", "aa"),
    (3, "upperLetter", "C"), (4, "lowerRoman", "iv"), (9, "upperRoman", "IX"),
    (14, "upperRoman", "XIV"), (1990, "upperRoman", "MCMXC"), (2, "ordinal", "2nd"),
    (11, "ordinal", "11th"), (5, "none", ""), (7, "cardinalText", "7"),
]


@pytest.mark.parametrize("n, fmt, expected", FORMATS)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


@pytest.mark.parametrize("lvl_text, expected", [
    ("\uf0b7", "•"), ("\uf02d", "-"), ("-", "-"), ("+", "+"), ("o", "o"), ("\uf0a7", "▪"),
    ("\uf0e9", "•"),
])
def test_bullet_char(lvl_text, expected):
    assert bullet_char(lvl_text) == expected


def labels(body: str, numbering: str, styles: str = "") -> list:
    doc = docx.read(make_docx(body, numbering=numbering, styles=styles), "case.docx")
    return [b.label for b in doc.blocks]


MULTI = abstract(1, lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%2."),
                 lvl(2, "decimal", "(%3)"), lvl(3, "lowerLetter", "%4)"))

CASES = [
    # (case id, body, numbering, expected labels)
    ("roman-decimal-paren",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 1), ("D", 1, 0), ("E", 1, 1), ("F", 1, 2), ("G", 1, 2),
      ("H", 1, 1), ("I", 1, 2)],
     MULTI + num(1, 1), ["I.", "1.", "2.", "II.", "1.", "(1)", "(2)", "2.", "(1)"]),
    ("multilevel-1.1",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 1), ("D", 1, 0), ("E", 1, 1)],
     abstract(1, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2.")) + num(1, 1),
     ["1.", "1.1.", "1.2.", "2.", "2.1."]),
    ("isLgl-turns-roman-parent-decimal",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 0), ("D", 1, 1)],
     abstract(1, lvl(0, "upperRoman", "%1."),
              lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>")) + num(1, 1),
     ["I.", "1.1.", "II.", "2.1."]),
    ("start-at-5",
     [("A", 1, 0), ("B", 1, 0)],
     abstract(1, lvl(0, "decimal", "%1.", start=5)) + num(1, 1), ["5.", "6."]),
    ("shared-abstract-continues",
     [("A", 1, 0), ("B", 2, 0), ("C", 1, 0)],
     abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1) + num(2, 1), ["1.", "2.", "3."]),
    ("startOverride-restarts-own-list",
     [("A", 1, 0), ("B", 1, 0), ("C", 2, 0), ("D", 2, 0), ("E", 3, 0)],
     abstract(1, lvl(0, "decimal", "(%1)")) + num(1, 1, start_override(0, 1))
     + num(2, 1, start_override(0, 1)) + num(3, 1, start_override(0, 10)),
     ["(1)", "(2)", "(1)", "(2)", "(10)"]),
    ("interleaved-lists-keep-their-counters",
     [("A", 1, 0), ("B", 2, 0), ("C", 2, 0), ("D", 1, 0), ("E", 3, 0)],
     abstract(1, lvl(0, "decimal", "%1.")) + abstract(2, lvl(0, "decimal", "(%1)"))
     + num(1, 1, start_override(0, 1)) + num(2, 2, start_override(0, 1))
     + num(3, 2, start_override(0, 1)),
     ["1.", "(1)", "(2)", "2.", "(1)"]),
    ("lvlRestart-0-never-restarts",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 0), ("D", 1, 1)],
     abstract(1, lvl(0, "decimal", "%1."),
              lvl(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>')) + num(1, 1),
     ["1.", "a)", "2.", "b)"]),
    ("deeper-level-restarts-by-default",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 1), ("D", 1, 0), ("E", 1, 1)],
     abstract(1, lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2)")) + num(1, 1),
     ["1.", "a)", "b)", "2.", "a)"]),
    ("bullets",
     [("A", 1, 0), ("B", 2, 0), ("C", 3, 0)],
     abstract(1, lvl(0, "bullet", "\uf0b7")) + abstract(2, lvl(0, "bullet", "-"))
     + abstract(3, lvl(0, "bullet", "\uf02d")) + num(1, 1) + num(2, 2) + num(3, 3),
     ["•", "-", "-"]),
    ("numId-0-is-not-numbered",
     [("A", 1, 0), ("B", 0, 0), ("C", 1, 0)],
     abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1), ["1.", None, "2."]),
    ("unknown-numId-is-not-numbered",
     [("A", 7, 0)], abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1), [None]),
    ("none-format-has-no-label",
     [("A", 1, 0)], abstract(1, lvl(0, "none", "")) + num(1, 1), [None]),
    ("letters-and-article",
     [("A", 1, 0), ("B", 1, 1), ("C", 1, 1)],
     abstract(1, lvl(0, "decimal", "Điều %1."), lvl(1, "lowerLetter", "%2)")) + num(1, 1),
     ["Điều 1.", "a)", "b)"]),
    ("lvlOverride-with-own-level",
     [("A", 1, 0), ("B", 1, 0)],
     abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1,
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/>'
        + lvl(0, "lowerRoman", "%1)", start=3) + "</w:lvlOverride>"),
     ["iii)", "iv)"]),
]


@pytest.mark.parametrize("case, paras, numbering, expected", CASES, ids=[c[0] for c in CASES])
def test_labels(case, paras, numbering, expected):
    body = "".join(numbered(t, n, i) if n else p(t, ppr='<w:numPr><w:numId w:val="0"/></w:numPr>')
                   for t, n, i in paras)
    assert labels(body, numbering) == expected


def test_label_prepended_with_one_space():
    doc = docx.read(make_docx(numbered("Phòng Quản lý Khoa học:", 1),
                              numbering=abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1)),
                    "x.docx")
    assert doc.blocks[0].text == "1. Phòng Quản lý Khoa học:"
    assert doc.blocks[0].label == "1."


STYLE_LINKED = (
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="muc"/>'
    '<w:basedOn w:val="Heading2"/></w:style>'
)


def test_style_linked_list_follows_basedOn():
    numbering = abstract(3, lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%2.")) + num(4, 3)
    body = (p("Tổng quan", ppr='<w:pStyle w:val="Heading1"/>')
            + p("Phòng A", ppr='<w:pStyle w:val="Heading2"/>')
            + p("Phòng B", ppr='<w:pStyle w:val="Muc"/>')
            + p("Nhiệm vụ", ppr='<w:pStyle w:val="Heading1"/>')
            + p("Phòng C", ppr='<w:pStyle w:val="Heading2"/>'))
    doc = docx.read(make_docx(body, numbering=numbering, styles=STYLE_LINKED), "s.docx")
    assert [b.text for b in doc.blocks] == ["I. Tổng quan", "1. Phòng A", "2. Phòng B",
                                            "II. Nhiệm vụ", "1. Phòng C"]
    assert doc.blocks[0].bold is True  # bold through the style


def test_level_linked_to_style_by_pStyle():
    numbering = abstract(3, lvl(0, "decimal", "%1.", extra='<w:pStyle w:val="L1"/>'),
                         lvl(1, "lowerLetter", "%2)", extra='<w:pStyle w:val="L2"/>')) + num(5, 3)
    styles = ('<w:style w:type="paragraph" w:styleId="L1"><w:pPr><w:numPr><w:numId w:val="5"/>'
              '</w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="L2"><w:pPr>'
              '<w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>')
    body = (p("A", ppr='<w:pStyle w:val="L1"/>') + p("B", ppr='<w:pStyle w:val="L2"/>')
            + p("C", ppr='<w:pStyle w:val="L2"/>'))
    assert labels(body, numbering, styles) == ["1.", "a)", "b)"]


# --- the dev notices: auto-numbered twin against the typed file ----------------------------

_TYPED_LABEL = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|\(\d+\)|[a-zđ]\)|[-+•])(?=\s)")


def _fold(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("name", NOTICES)
def test_auto_labels_match_typed(name):
    typed = docx.read((DEV / f"{name}.docx").read_bytes(), f"{name}.docx")
    auto = docx.read((DEV / f"{name}.auto.docx").read_bytes(), f"{name}.auto.docx")
    auto_labels = [b.label for b in auto.blocks if b.region.value == "body" and b.label]
    typed_labels = [m.group(0) for b in typed.blocks if b.region.value == "body"
                    for m in [_TYPED_LABEL.match(b.text)] if m]
    assert auto_labels == typed_labels
    assert [_fold(b.text) for b in auto.blocks] == [_fold(b.text) for b in typed.blocks]


def test_qngai_label_sequence_starts_as_typed():
    auto = docx.read((DEV / "qngai-skhcn-tb-ketluan-2021.auto.docx").read_bytes(), "q.docx")
    seq = [b.label for b in auto.blocks if b.label]
    assert seq[:14] == ["I.", "1.", "2.", "II.", "1.", "(1)", "(2)", "(3)", "(4)", "(5)", "(6)",
                        "(7)", "2.", "(1)"]


def test_a_numbered_paragraph_that_holds_only_its_number_is_a_block():
    """`Chương I` drawn by Word above its title, on a paragraph of its own; an eth typed for Đ
    in the numbering is read as Đ, as in the text."""
    numbering = abstract(1, lvl(0, "upperRoman", "Chương %1"), lvl(1, "decimal", "\u00d0iều %2.",
                                                                     extra='<w:lvlRestart w:val="0"/>')) + num(1, 1)
    body = (numbered("", 1, 0) + p("QUY ĐỊNH CHUNG") + numbered("Phạm vi", 1, 1)
            + numbered("", 1, 0) + p("QUY ĐỊNH CỤ THỂ") + numbered("Mức chi", 1, 1))
    doc = docx.read(make_docx(body, numbering=numbering), "chuong.docx")
    assert [b.text for b in doc.blocks] == ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi",
                                            "Chương II", "QUY ĐỊNH CỤ THỂ", "Điều 2. Mức chi"]


def test_an_empty_bullet_or_number_is_no_block():
    numbering = abstract(1, lvl(0, "decimal", "%1."), lvl(1, "bullet", "-")) + num(1, 1)
    body = numbered("Một", 1, 0) + numbered("", 1, 1) + numbered("", 1, 0) + numbered("Ba", 1, 0)
    doc = docx.read(make_docx(body, numbering=numbering), "empty.docx")
    assert [b.text for b in doc.blocks] == ["1. Một", "3. Ba"]

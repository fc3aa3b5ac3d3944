"""Build small, real .docx files in tests: WordprocessingML parts zipped as Word does.

The parts are the minimum Word and python-docx open; tests pass the body (and numbering,
styles) as XML strings so each case shows exactly the markup it is about.
"""
from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W_NS}" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
PKG_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""


def p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    """One paragraph of one run; `\\t` becomes w:tab and `\\n` a w:br."""
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            runs.append("<w:br/>")
        for j, part in enumerate(line.split("\t")):
            if j:
                runs.append("<w:tab/>")
            if part:
                runs.append(f'<w:t xml:space="preserve">{_esc(part)}</w:t>')
    run = f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{''.join(runs)}</w:r>" if runs else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}</w:p>"


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return p(text, ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def table(rows: list[list[list[str]]]) -> str:
    """A borderless table: rows of cells of paragraph texts."""
    out = ["<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"nil\"/><w:insideV w:val=\"nil\"/>"
           "</w:tblBorders></w:tblPr>"]
    for row in rows:
        out.append("<w:tr>")
        for cell in row:
            out.append("<w:tc>" + ("".join(p(t) for t in cell) or "<w:p/>") + "</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document_xml(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>')


def numbering_xml(inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NS}>{inner}</w:numbering>'


def styles_xml(inner: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {NS}>{inner}</w:styles>'


def make_docx(body: str, *, numbering: str = "", styles: str = "",
              parts: dict[str, bytes | str] | None = None, document: str | None = None,
              footnotes: list[str] | None = None, rels_extra: str = "", types_extra: str = "") -> bytes:
    """`footnotes`: the texts of footnotes 1, 2… (a body references them with `footnote_ref`),
    written to word/footnotes.xml with the separator notes Word puts first; `rels_extra` and
    `types_extra`: relationships and content types of further `parts` (headers, footers)."""
    buf = io.BytesIO()
    types = CONTENT_TYPES.replace("</Types>", types_extra + "</Types>")
    rels = DOC_RELS.replace("</Relationships>", rels_extra + "</Relationships>")
    if footnotes is not None:
        types = types.replace("</Types>", FOOTNOTES_TYPE + "</Types>")
        rels = rels.replace("</Relationships>", FOOTNOTES_REL + "</Relationships>")
        parts = {**(parts or {}), "word/footnotes.xml": footnotes_xml(footnotes)}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", PKG_RELS)
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr("word/document.xml", document if document is not None else document_xml(body))
        z.writestr("word/styles.xml", styles_xml(styles))
        z.writestr("word/numbering.xml", numbering_xml(numbering))
        for name, blob in (parts or {}).items():
            z.writestr(name, blob)
    return buf.getvalue()


def abstract(aid: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{extra}<w:lvlText w:val="{text}"/></w:lvl>')


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def start_override(ilvl: int, value: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'


FOOTNOTES_TYPE = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.footnotes+xml"/>')
FOOTNOTES_REL = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/footnotes" Target="footnotes.xml"/>')
_NOTE_MARK = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>{}</w:r>'


def footnote_ref(note_id: int) -> str:
    """The run a body paragraph carries where footnote `note_id` is referenced (its number drawn
    in superscript by Word)."""
    return _NOTE_MARK.format(f'<w:footnoteReference w:id="{note_id}"/>')


def p_runs(*runs: str, ppr: str = "") -> str:
    """A paragraph of several runs: plain strings become text runs, markup (`<w:r…`) stays."""
    inner = "".join(r if r.startswith("<w:r") else f'<w:r><w:t xml:space="preserve">{_esc(r)}</w:t></w:r>'
                    for r in runs)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def footnotes_xml(texts: list[str]) -> str:
    notes = ['<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
             '</w:r></w:p></w:footnote>']
    for n, text in enumerate(texts, 1):
        notes.append(f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                     + _NOTE_MARK.format("<w:footnoteRef/>")
                     + f'<w:r><w:t xml:space="preserve"> {_esc(text)}</w:t></w:r></w:p></w:footnote>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
            + "".join(notes) + "</w:footnotes>")

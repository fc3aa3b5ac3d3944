"""Real files of the kinds an archive's folders hold beside the notices, built here because
none ship with the corpus: an .xlsx (a minimal SpreadsheetML package Excel opens), a
Thumbs.db (an OLE compound file holding the empty `Catalog` stream Windows writes first), a
desktop.ini (UTF-16 with a BOM, as Windows writes it), a .csv, a .zip and a saved web page."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

FREE, END, FAT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def xlsx_bytes() -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    members = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                               '<Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
                           '<sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                     f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'
                                    '<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c><c r="B1"><v>3</v></c></row>'
                                    '</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


def _dir_entry(name: str, kind: int, child: int = NOSTREAM) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, NOSTREAM, NOSTREAM, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", END, 0))


def thumbs_db_bytes() -> bytes:
    """A compound file (version 3, 512-byte sectors): sector 0 the FAT, sector 1 the
    directory (Root Entry → Catalog, an empty stream)."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    fat = struct.pack("<II", FAT, END) + struct.pack("<I", FREE) * 126
    directory = _dir_entry("Root Entry", 5, child=1) + _dir_entry("Catalog", 2) + _dir_entry("", 0) * 2
    assert len(header) == 512 and len(fat) == 512 and len(directory) == 512
    return header + fat + directory


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("scans/readme.txt", "ảnh quét gửi kèm")
        z.writestr("scans/list.csv", "a,b\n1,2\n")
    return buf.getvalue()


NOT_DOCUMENTS = {
    # name → (bytes, the kind it is skipped as)
    "desktop.ini": ("[.ShellClassInfo]\r\nIconResource=C:\\Windows\\system32\\imageres.dll,-3\r\n"
                    "[ViewState]\r\nMode=\r\nVid=\r\nFolderType=Documents\r\n".encode("utf-16"), "ini"),
    "danh-sach.csv": ("Đơn vị,Nhiệm vụ,Thời hạn\nSở Nội vụ,Báo cáo,30/6/2021\nSở Tài chính,Dự toán,31/7/2021\n"
                      .encode("utf-8"), "csv"),
    "Thumbs.db": (thumbs_db_bytes(), "thumbnail cache"),
    "bang-theo-doi.xlsx": (xlsx_bytes(), "spreadsheet"),
    "ho-so.zip": (zip_bytes(), "archive"),
    "trang-chu.html": ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Cổng thông tin</title>"
                       "</head><body><h1>Tin tức</h1><p>Thông báo mới</p></body></html>\n".encode("utf-8"), "html"),
}


def write_not_documents(folder: Path) -> dict[str, str]:
    """Write each of `NOT_DOCUMENTS` into `folder`; return name → kind."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in NOT_DOCUMENTS.items():
        (folder / name).write_bytes(data)
    return {name: kind for name, (_, kind) in NOT_DOCUMENTS.items()}

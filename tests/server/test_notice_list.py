"""One notice held as several files is one row wherever a person looks (issue 13): the home
page, the API list and search show it once with its files; each file's page lists the others;
a file with no mark of an official notice is listed apart. A real server over a real
database; the .docx, .auto.docx and .pdf of one dev notice are uploaded (not its scan: OCR is
slow), with one notice of another kind beside it."""
import re

import pytest

from pipeline.devcorpus import DEV_CORPUS
from serverlib import start_server, stop_server

STEM = "qngai-skhcn-tb-ketluan-2021"
FILES = [DEV_CORPUS / f"{STEM}{ext}" for ext in (".docx", ".auto.docx", ".pdf")]
OTHER = DEV_CORPUS / "haugiang-ubnd-cv-454-2011.docx"
NOT_A_NOTICE = ("ghichep.txt", "Ghi chép riêng trong tuần\n\nMua giấy in cho phòng, sửa máy tính, "
                "gọi điện cho anh Nam về lịch họp.\n".encode())


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A server holding one notice as three files, another notice, and a file that is none."""
    s = start_server(tmp_path_factory.mktemp("notices"))
    try:
        ids = {}
        with s.client() as c:
            for path in FILES + [OTHER]:
                r = c.post("/api/documents", files={"file": (path.name, path.read_bytes())})
                assert r.status_code == 201, r.text
                ids[path.name] = r.json()["doc_id"]
            r = c.post("/api/documents", files={"file": NOT_A_NOTICE})
            assert r.status_code == 201, r.text
            ids[NOT_A_NOTICE[0]] = r.json()["doc_id"]
        yield s, ids
    finally:
        stop_server(s)


def test_the_api_lists_one_notice_with_its_files(archive):
    s, ids = archive
    with s.client() as c:
        listed = c.get("/api/documents").json()
        others = c.get("/api/documents", params={"kind": "other"}).json()
    assert len(listed) == 2                                  # two notices, from five stored files
    mine = next(n for n in listed if n["symbol"] == "TB-SKHCN")
    assert sorted(f["doc_id"] for f in mine["files"]) == sorted(ids[p.name] for p in FILES)
    assert {f["role"] for f in mine["files"]} == {"draft", "published"}
    assert sum(f["chosen"] for f in mine["files"]) == 1 and mine["files"][0]["chosen"]
    assert mine["doc_id"] == mine["files"][0]["doc_id"] and mine["tasks"] > 0
    assert [f["doc_id"] for f in next(n for n in listed if n is not mine)["files"]] == [ids[OTHER.name]]
    # the file that is no notice is listed apart, and only there
    assert [o["doc_id"] for o in others] == [ids[NOT_A_NOTICE[0]]] and others[0]["is_notice"] is False
    assert ids[NOT_A_NOTICE[0]] not in {n["doc_id"] for n in listed}


def test_the_home_page_shows_one_row_per_notice_and_counts_notices_and_files(archive):
    s, ids = archive
    with s.client() as c:
        html = c.get("/").text
    notices = html[html.index('id="notices"'):html.index('id="other-files"')]
    assert notices.count('<tr class="notice"') == 2
    assert "2 văn bản · 4 tệp" in notices
    # the notice's row lists its three files, each linking to its own page
    row = next(r for r in notices.split('<tr class="notice"')[1:] if "TB-SKHCN" in r)
    links = re.findall(r'href="/documents/([0-9a-f]{16})" class="file-link"', row)
    assert sorted(links) == sorted(ids[p.name] for p in FILES)
    others = html[html.index('id="other-files"'):]
    assert NOT_A_NOTICE[0] in others and f'/documents/{ids[NOT_A_NOTICE[0]]}' in others


def test_each_file_page_lists_the_other_files_of_its_notice(archive):
    s, ids = archive
    with s.client() as c:
        for path in FILES:
            doc = c.get(f"/api/documents/{ids[path.name]}").json()
            assert sorted(f["doc_id"] for f in doc["notice"]["files"]) == sorted(ids[p.name] for p in FILES)
            assert [f["doc_id"] for f in doc["notice"]["files"] if f["this"]] == [ids[path.name]]
            html = c.get(f"/documents/{ids[path.name]}").text
            card = html[html.index('id="files-card"'):]
            card = card[:card.index("</section>")]
            for other in FILES:
                if other != path:
                    assert f'href="/documents/{ids[other.name]}"' in card
            assert 'class="notice-file this"' in card
        alone = c.get(f"/api/documents/{ids[NOT_A_NOTICE[0]]}").json()
        assert alone["notice"] is None and alone["header"]["is_notice"] is False


def test_search_finds_the_notice_once_with_its_files(archive):
    s, ids = archive
    with s.client() as c:
        hits = c.get("/api/search", params={"q": "ket luan giam doc"}).json()
        html = c.get("/search", params={"q": "ket luan giam doc"}).text
    assert len(hits) == 1                                    # three files matched: one notice
    hit = hits[0]
    assert hit["files"] == hit["matched_files"] == 3
    assert hit["doc_id"] in {ids[p.name] for p in FILES} and hit["symbol"] == "TB-SKHCN"
    assert html.count("<li>") == 1 and "3 tệp của cùng văn bản" in html

"""Search is diacritic-insensitive, folds đ to d, ranks, and rebuilds a stale index."""
import pytest

from pipeline.model import Notice, Task
from pipeline.store.duckdb import fts_extension_path, open_store
from pipeline.store.search import best_passage, search

TEXTS = {
    "a": "THÔNG BÁO Kết luận của Giám đốc về kế hoạch khoa học và công nghệ năm 2021 tại Đà Nẵng",
    "b": "CÔNG VĂN về việc đôn đốc báo cáo tình hình tài chính quý II",
    "c": "QUYẾT ĐỊNH ban hành quy chế quản lý đề tài; không có chữ nào khác",
}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        for key, text in TEXTS.items():
            store.write_notice(Notice(source_path=f"{key}.docx", sha256=key * 64, format="docx", text=text,
                                      tasks=[Task(path="1", label="1", text=f"Nhiệm vụ {key}: đôn đốc thực hiện")]
                                      if key == "c" else []))
        store.rebuild_search_index()
    return path


@pytest.mark.parametrize("query", ["ke hoach khoa hoc", "Kế hoạch khoa học", "KE HOACH", "kế HOẠCH"])
def test_spellings_of_a_phrase_find_the_same_notice(db, query):
    hits = search(db, query)
    assert [h.doc_id for h in hits][:1] == ["a" * 16]


@pytest.mark.parametrize("query", ["da nang", "Đà Nẵng", "DA NANG"])
def test_d_with_stroke_folds_to_d(db, query):
    assert [h.doc_id for h in search(db, query)] == ["a" * 16]


def test_tasks_are_searched_too_and_passage_shows_the_words(db):
    hits = search(db, "don doc")
    assert {h.doc_id for h in hits} == {"b" * 16, "c" * 16}
    b = next(h for h in hits if h.doc_id == "b" * 16)
    assert "đôn đốc" in b.passage
    assert [b.passage[s:e] for s, e in b.highlights] == ["đôn", "đốc"]


def test_digits_are_searchable(db):
    assert [h.doc_id for h in search(db, "2021")] == ["a" * 16]


def test_stale_index_is_rebuilt_at_search_time(db):
    with open_store(db) as store:
        store.write_notice(Notice(source_path="d.docx", sha256="d" * 64, format="docx",
                                  text="Thông báo lịch tiếp công dân"))
        assert store.search_index_stale()
    assert [h.doc_id for h in search(db, "tiep cong dan")] == ["d" * 16]


def test_passage_is_cut_from_the_original_text():
    text = "x " * 300 + "Kế hoạch khoa học" + " y" * 300
    start, passage, marks = best_passage(text, ["ke", "hoach", "khoa", "hoc"])
    assert text[start:start + len(passage)] == passage
    assert [passage[s:e] for s, e in marks] == ["Kế", "hoạch", "khoa", "học"]


def test_fts_is_loaded_from_the_pip_package_not_downloaded():
    path = fts_extension_path()
    assert path.name == "fts.duckdb_extension" and "site-packages" in str(path)

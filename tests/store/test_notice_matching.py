"""Which files are one notice (pipeline/store/notices.py): a table of real header pairs, then
the grouping of a whole set, whatever the order the files came in."""
import datetime as dt
import itertools

import pytest

from pipeline.store.notices import FileKey, conflict, fuzzy, group_files, role_of, same_notice

D = dt.date
VL = dict(issuer_key="ủy ban nhân dân tỉnh vĩnh long", number="18/2009", symbol="QĐ-UBND",
          issued_date=D(2009, 10, 6), subject="VỀ VIỆC THU HỒI QUYẾT ĐỊNH SỐ 2093/2005/QĐ-UBND "
                                              "NGÀY 06/9/2005 CỦA UỶ BAN NHÂN DÂN TỈNH")
QN = dict(issuer_key="sở khoa học và công nghệ", number=None, symbol="TB-SKHCN", issued_date=D(2021, 4, 2),
          subject="Kết luận của Giám đốc Sở Khoa học và Công nghệ tại cuộc họp giao ban lãnh đạo Sở")
HN = dict(issuer_key="ủy ban nhân dân thành phố hà nội", number="453", symbol="TB-UBND",
          issued_date=D(2026, 4, 29), subject="Về việc treo cờ Tổ quốc")


def key(doc_id="a", **fields):
    return FileKey(doc_id=doc_id, **fields)


# (files a and b, one notice?, why) — real headers of the dev notices and their near misses
PAIRS = [
    (key(**VL), key(**VL), True, "the same header in the .docx and the .pdf"),
    (key(**VL), key(**{**VL, "symbol": "QD - UBND", "number": "l8/2OO9"}), True,
     "OCR slips: Đ read D, 1 read l, 0 read O, spaces around the dash"),
    (key(**VL), key(**{**VL, "subject": VL["subject"].lower().replace("Ồ", "O")}), True,
     "a scan's trích yếu with a lost mark and another case"),
    (key(**VL), key(**{**VL, "issued_date": D(2009, 10, 8)}), True,
     "a day misread on the scan, the number and year vouch for it"),
    (key(**QN), key(**{**QN, "number": "12"}), True,
     "the draft's blank number (Số: /TB-SKHCN) beside the signed copy's"),
    (key(**VL), key(**{**VL, "number": "18/2010", "issued_date": D(2010, 3, 1)}), False,
     "same number and symbol, another year"),
    (key(**VL), key(**{**VL, "number": "18/2010"}), False, "the number's year part differs"),
    (key(**HN), key(**{**HN, "issuer_key": "ủy ban nhân dân tỉnh hậu giang"}), False,
     "same number, symbol, day and trích yếu, another issuer"),
    (key(**HN), key(**{**HN, "number": "454"}), False, "two numbers of one symbol on one day"),
    (key(**QN), key(**{**QN, "subject": "Kế hoạch tổ chức Ngày Khoa học và Công nghệ Việt Nam"}), False,
     "blank number, same symbol and day, another matter"),
    (key(**QN), key(**{**QN, "issued_date": D(2021, 4, 9)}), False,
     "blank number and another day: nothing vouches for the day"),
    (key(**HN), key(**{**HN, "symbol": "KH-UBND"}), False, "another kind of document"),
    (key(**HN), key(**{**HN, "symbol": None}), False, "no symbol read: too little to join on"),
    (key(**QN), key(**{**QN, "issued_date": None}), False, "a blank number and no year on one side"),
]


@pytest.mark.parametrize("a, b, same, why", PAIRS, ids=[p[3] for p in PAIRS])
def test_pairs_of_files(a, b, same, why):
    assert same_notice(a, b) is same
    assert same_notice(b, a) is same            # the relation does not care which came first


def test_fuzzy_key_folds_ocr_slips_and_nothing_more():
    assert fuzzy("QĐ-UBND") == fuzzy("qd - ubnd") == fuzzy("QÐ.UBND") == "qdubnd"
    assert fuzzy("1O5") == fuzzy("lO5") == fuzzy("I05") == "105"
    assert fuzzy("NQ-CP") != fuzzy("NĐ-CP")
    assert fuzzy(None) is None and fuzzy(" / ") is None


def test_conflict_names_the_field_that_differs():
    assert conflict(key(**HN), key(**{**HN, "issuer_key": "bộ nội vụ"})) == "issuer"
    assert conflict(key(**VL), key(**{**VL, "number": "18/2010", "issued_date": None})) == "year"
    assert conflict(key(**VL), key(**VL)) is None


def test_roles_come_from_the_format():
    assert [role_of(f) for f in ["docx", "doc", "pdf", "scan", "image", "txt", None]] == \
        ["draft", "draft", "published", "signed scan", "signed scan", "text", "other"]


# four files of one notice, the draft with a blank number; a sister notice of the same symbol
# and day with a close trích yếu; the same number a year later
FILES = [
    key("d1", role="draft", header_fields=8, **{**QN, "number": None}),
    key("p1", role="published", header_fields=9, **{**QN, "number": "12"}),
    key("s1", role="signed scan", header_fields=9, **{**QN, "number": "l2", "symbol": "TB-SKHCN"}),
    key("p2", role="published", header_fields=9,
        **{**QN, "number": "13", "subject": QN["subject"] + " tháng 4"}),
    key("p3", role="published", header_fields=9, **{**QN, "number": "12", "issued_date": D(2022, 4, 2)}),
]


def as_sets(groups):
    return {frozenset(g) for g in groups}


def test_a_set_of_files_groups_the_same_in_any_order():
    expected = {frozenset({"d1", "p1", "s1"}), frozenset({"p2"}), frozenset({"p3"})}
    for order in itertools.permutations(FILES):
        assert as_sets(group_files(order)) == expected


def test_each_group_starts_with_the_file_that_reads_best():
    groups = group_files(FILES)
    first = {frozenset(g): g[0] for g in groups}
    assert first[frozenset({"d1", "p1", "s1"})] == "p1"      # text over the scan, fuller header than the draft


def _group_every_group_looked_at(files):
    """`group_files` as it was before issue 14: every group looked at for every file."""
    from pipeline.store.notices import group_fit, read_order
    groups = []
    for f in sorted(files, key=read_order):
        best, best_score = None, -1.0
        for g in groups:
            score = group_fit(f, g)
            if score is not None and score > best_score:
                best, best_score = g, score
        if best is None:
            groups.append([f])
        else:
            best.append(f)
    return [[m.doc_id for m in g] for g in groups]


def test_looking_only_at_groups_of_the_same_number_or_day_groups_as_looking_at_all():
    """Issue 14: a symbol shared by thousands of files is grouped in linear time, the same way."""
    import random
    rnd = random.Random(14)
    for _ in range(1500):
        files = [key(doc_id=f"{i:02d}", issuer_key=rnd.choice([VL["issuer_key"], "uy ban nhan dan tinh vinh long", None]),
                     number=rnd.choice([None, "18/2009", "l8/2OO9", "19/2009", "18/2010", "18"]),
                     symbol=rnd.choice(["QĐ-UBND", "QD - UBND"]),
                     issued_date=rnd.choice([None, D(2009, 10, 6), D(2009, 10, 8), D(2010, 3, 1)]),
                     subject=rnd.choice([VL["subject"], VL["subject"].lower(), HN["subject"], None]),
                     role=rnd.choice(["draft", "published", "signed scan"]), header_fields=rnd.randint(0, 9))
                 for i in range(rnd.randint(1, 10))]
        assert group_files(files) == _group_every_group_looked_at(files)

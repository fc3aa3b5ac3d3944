import pytest

from pipeline.store.fold import fold, fold_with_offsets

CASES = [
    ("Kế hoạch khoa học", "ke hoach khoa hoc"),
    ("KE HOACH", "ke hoach"),
    ("ĐÀ NẴNG", "da nang"),
    ("đôn đốc", "don doc"),
    ("Ð (U+00D0) Đ", "d (u+00d0) d"),
    ("Quyết định 52/2016/QĐ-UBND", "quyet dinh 52/2016/qd-ubnd"),
    ("Thủ tướng Chính phủ", "thu tuong chinh phu"),
    ("", ""),
]


@pytest.mark.parametrize("text, folded", CASES)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text", [c[0] for c in CASES] + ["Ke\u0302\u0301 hoa\u0323ch"])
def test_offsets_point_back_to_the_original(text):
    folded, where = fold_with_offsets(text)
    assert len(folded) == len(where)
    assert folded == fold(text)
    for i, ch in enumerate(folded):
        assert fold(text[where[i]]) and ch in fold(text[where[i]])

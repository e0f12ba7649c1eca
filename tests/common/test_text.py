import pytest
from django.utils.text import slugify

from ocophub.common.text import fold, search_terms, slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đường Lâm", "duong lam"),
        ("ĐƯỜNG LÂM", "duong lam"),
        ("Bát Tràng", "bat trang"),
        ("gốm sứ", "gom su"),
        ("Khảm trai Chuyên Mỹ", "kham trai chuyen my"),
        ("  Phú   Nghĩa ", "phu nghia"),
        ("Hòa Lâm", "hoa lam"),
        ("Hoà Lâm", "hoa lam"),  # old-style tone placement folds the same way
        ("", ""),
        (None, ""),
    ],
)
def test_fold_drops_diacritics_and_d_stroke(text, expected):
    assert fold(text) == expected


def test_fold_matches_decomposed_input():
    decomposed = "Đường Lâm".replace("ư", "u\u031b").replace("ờ", "o\u031b\u0300")
    assert fold(decomposed) == "duong lam"


def test_slug_keeps_d_where_django_slugify_drops_it():
    assert slugify("Đường Lâm") != "duong-lam"  # the trap this helper exists for
    assert slug("Đường Lâm") == "duong-lam"
    assert slug("Làng gốm Bát Tràng!") == "lang-gom-bat-trang"
    assert slug("Sơn mài — Hạ Thái") == "son-mai-ha-thai"


def test_slug_is_cut_on_a_word_boundary_character():
    assert slug("a" * 100, max_length=10) == "a" * 10
    assert not slug("ab " * 40, max_length=11).endswith("-")


def test_search_terms_remove_operators_and_quotes():
    assert search_terms('"gốm" OR sứ* (Bát-Tràng)') == ["gom", "or", "su", "bat", "trang"]

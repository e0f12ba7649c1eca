"""Product search: the relevance contract on SQLite (FTS5) and PostgreSQL (a stored tsvector).

Each golden query states its whole answer, so the suite passing on both databases proves that the
two backends agree; every answer is also held against the contract written in Python
(`search.contract`) applied to every product. The index follows every write made through the services.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ocophub.catalogue import search, selectors, services
from ocophub.catalogue.models import Certificate, Producer, ProducerKind, Product, ProductStatus, TaxonomyNode
from ocophub.common.text import fold
from ocophub.places import selectors as places
from ocophub.places.models import CraftVillage, Era

REFERENCE = Path(services.__file__).parents[1] / "data" / "reference.json"  # catalogue/data


@pytest.fixture
def reference_data(loaded_places):
    services.reference_load(json.loads(REFERENCE.read_text(encoding="utf-8")))


def _producer(
    name: str, code: int, village: str | None = None, kind: str = ProducerKind.COOPERATIVE
) -> Producer:
    return services.producer_save(
        actor=None,
        name=name,
        kind=kind,
        commune=places.communes(era=Era.LEGACY).get(code=code),
        craft_village=CraftVillage.objects.get(slug=village) if village else None,
        is_illustrative=True,
    )


def _product(producer: Producer, name: str, group: str, publish: bool = True) -> Product:
    product = services.product_save(
        actor=None,
        producer=producer,
        name=name,
        taxonomy=TaxonomyNode.objects.get(rule_set__code="148", code=group),
        is_illustrative=True,
    )
    if publish:
        product = services.product_transition(actor=None, product=product, to=ProductStatus.PUBLISHED)
    return product


@pytest.fixture
def shelf(reference_data) -> dict[str, Product]:
    """A small catalogue, made in this order (ids grow with it); the keys name the products in tests."""
    bat_trang = _producer("Hợp tác xã Gốm sứ Bát Tràng", 583, "bat-trang")
    duong_lam = _producer("Hợp tác xã Nông nghiệp Đường Lâm", 9592, "duong-lam")
    chuyen_my = _producer("Hộ kinh doanh Nguyễn Văn Hợp", 10321, "chuyen-my", ProducerKind.HOUSEHOLD)
    ha_thai = _producer("Công ty TNHH Sơn mài Hạ Thái", 10192, "ha-thai", ProducerKind.ENTERPRISE)
    tranh_khuc = _producer("Hộ kinh doanh Nguyễn Thị Hoa", 670, "tranh-khuc", ProducerKind.HOUSEHOLD)
    elsewhere = _producer("Công ty TNHH Thực phẩm An Phát", 9619, kind=ProducerKind.ENTERPRISE)
    rows = [
        ("binh_hut_loc", bat_trang, "Bình hút lộc gốm sứ Bát Tràng", "148-gom-su"),
        ("am_chen", bat_trang, "Ấm chén gốm Bát Tràng men rạn", "148-gom-su"),
        ("lo_hoa", bat_trang, "Lọ hoa men lam vẽ tay", "148-gom-su"),
        ("tuong_nep", duong_lam, "Tương nếp Đường Lâm", "148-thuc-pham-khac"),
        ("keo_lac", duong_lam, "Kẹo dồi lạc vừng", "148-banh-mut-keo"),
        ("tranh_kham_trai", chuyen_my, "Tranh khảm trai Chuyên Mỹ", "148-kham-trai"),
        ("hop_kham_trai", chuyen_my, "Hộp khảm trai", "148-kham-trai"),
        ("hop_son_mai", ha_thai, "Hộp sơn mài khảm trứng", "148-son-mai"),
        ("banh_chung", tranh_khuc, "Bánh chưng Tranh Khúc", "148-banh-mut-keo"),
        ("mat_ong", elsewhere, "Mật ong hoa nhãn", "148-thuc-pham-khac"),
        ("binh_gom", elsewhere, "Bình gốm sứ vẽ hoa sen", "148-gom-su"),
        ("che_shan", elsewhere, "Chè Shan tuyết", "148-che-tra"),
        ("gio_may", elsewhere, "Giỏ mây đan", "148-may-tre-dan"),
        ("bat_an", elsewhere, "Bát ăn cơm tráng men", "148-gom-su"),
    ]
    return {key: _product(producer, name, group) for key, producer, name, group in rows}


def keys(shelf: dict[str, Product], ids: list[int]) -> list[str]:
    by_id = {product.pk: key for key, product in shelf.items()}
    return [by_id.get(pk, f"#{pk}") for pk in ids]


def published():
    return Product.objects.filter(status=ProductStatus.PUBLISHED)


# --- golden queries: the same exact answers on SQLite and PostgreSQL ------------------------------

GOLDEN = {
    # the three Bát Tràng products (the phrase; shorter text first), then "Bát ăn cơm tráng men"
    # (both words exact, not as a phrase)
    "bat trang": ["lo_hoa", "binh_hut_loc", "am_chen", "bat_an"],
    "BÁT TRÀNG": ["lo_hoa", "binh_hut_loc", "am_chen", "bat_an"],
    "  Bát   Tràng! ": ["lo_hoa", "binh_hut_loc", "am_chen", "bat_an"],
    # "tr" is being typed: "Bát ăn cơm tráng" has the phrase "bat an com trang"... and "bat" exact,
    # "tr" as a prefix of "trang": all four are tier 2, shortest text first
    "bat tr": ["bat_an", "lo_hoa", "binh_hut_loc", "am_chen"],
    "duong lam": ["keo_lac", "tuong_nep"],
    "Đường Lâm": ["keo_lac", "tuong_nep"],
    "gom su": ["bat_an", "binh_gom", "lo_hoa", "binh_hut_loc", "am_chen"],
    # two words typed together: the khảm trai products only, not the look-alike "khảm trứng"
    "khamtrai": ["hop_kham_trai", "tranh_kham_trai"],
    "kham": ["hop_kham_trai", "hop_son_mai", "tranh_kham_trai"],
    "ha thai": ["hop_son_mai"],
    # only the bánh chưng (the loose trigram neighbours of "chung" are gone)
    "banh chung": ["banh_chung"],
    "men ran": ["am_chen"],
    # a typo in a word of five letters or more: "khảm trứng" typed "kham trungg"
    "kham trungg": ["hop_son_mai"],
    # four letters allow no typo: nothing is found, and "did you mean" says what would be
    "bat trng": [],
    "hop kham tr": ["hop_kham_trai", "hop_son_mai", "tranh_kham_trai"],
}


@pytest.mark.parametrize("query", list(GOLDEN))
def test_golden_queries_give_the_same_answer_on_every_database(shelf, query):
    assert keys(shelf, search.search(query, among=published())) == GOLDEN[query]


def test_the_place_comes_first_for_a_place_name(shelf):
    found = keys(shelf, search.search("bat trang", among=published()))
    assert set(found[:3]) == {"binh_hut_loc", "lo_hoa", "am_chen"}
    found = keys(shelf, search.search("duong lam", among=published()))
    assert found == ["keo_lac", "tuong_nep"]


def test_loose_matches_are_not_results(shelf):
    """Each query word must match a word: a product that shares only letters with it is not found."""
    assert "che_shan" not in keys(shelf, search.search("bat trang"))
    assert keys(shelf, search.search("banh chung")) == ["banh_chung"]
    assert keys(shelf, search.search("non la")) == []


# --- the contract: every result obeys it, every product that obeys it is found, in its order ----

CONTRACT_QUERIES = [
    *GOLDEN,
    "trang",  # exact, and "tranh"/"trung"/"tang" within one typo
    "tranh",
    "gomsu",  # two words typed together
    "gom suu",  # a typo in the last word (no prefix of "suu" exists)
    "huut loc",  # one typo in a word of four letters: not allowed
    "chuyen",
    "chuyeen my",  # one typo (an extra letter) in a word of six
    "chuyne my",  # two neighbours swapped: one edit
    "son mai kham trung",
    "hoa",
    "xyz",
    "b",
    "h",
    "men lam ve tay",
    "tuyet shan",  # both words exact, not a phrase
    "nguyen thi hoa",
    "thuc pham",
    "thucpham an phat",
    "giỏ mây",
    "truong",
]


def _contract_answer(query: str) -> list[int]:
    from ocophub.catalogue.search.contract import order_key, query_terms

    terms = query_terms(query)
    rows = [(pk, text) for pk, text in Product.objects.values_list("pk", "search_text")]
    return [pk for pk, text in sorted(rows, key=lambda row: order_key(terms, *row)) if tier(terms, text)]


def tier(terms, text):
    from ocophub.catalogue.search import contract

    return contract.tier(terms, text)


@pytest.mark.parametrize("query", CONTRACT_QUERIES)
def test_the_database_answers_what_the_contract_says(shelf, query):
    """The contract in Python (`search.contract`) applied to every product, against the database's
    answer: the same products, in the same order — on both databases."""
    assert search.search(query, limit=1000) == _contract_answer(query)


def test_typo_budget_grows_with_the_word():
    from ocophub.catalogue.search.contract import typo_budget

    assert [typo_budget("a" * n) for n in (1, 4, 5, 8, 9, 20)] == [0, 0, 1, 1, 2, 2]


def test_the_contract_in_words():
    from ocophub.catalogue.search.contract import EXACT, PHRASE, PREFIX, TYPO
    from ocophub.catalogue.search.contract import tier as tier_of

    text = "hop kham trai chuyen my ho kinh doanh nguyen van hop"
    assert tier_of(["kham", "trai"], text) == PHRASE
    assert tier_of(["trai", "kham"], text) == EXACT
    assert tier_of(["trai", "kh"], text) == PREFIX
    assert tier_of(["kh", "trai"], text) == 0  # only the last word is a prefix
    assert tier_of(["khamtrai"], text) == TYPO  # split
    assert tier_of(["chuyeen"], text) == TYPO  # one edit from 5 letters
    assert tier_of(["nguyn"], text) == TYPO
    assert tier_of(["kinj"], text) == 0  # four letters: no typo
    assert tier_of(["ngyuen", "van"], text) == TYPO  # a swap is one edit
    assert tier_of(["chuyen", "xyz"], text) == 0  # every word must match


def test_did_you_mean_offers_spellings_that_find_something(shelf):
    assert search.search("bat trng") == []
    offered = search.did_you_mean("bat trng", published())
    assert offered and offered[0] == "bat trang"
    assert all(search.search(text, among=published()) for text in offered)
    assert search.did_you_mean("xqxqxq", published()) == []


def test_a_long_query_counts_its_first_words_only(shelf):
    from ocophub.catalogue.search.contract import MAX_TERMS

    long = " ".join(["bat", "trang"] + ["gom"] * 5000)
    plan = search.plan(long)
    assert plan is not None and len(plan.terms) == MAX_TERMS
    assert search.search("a" * 10_000) == []


@pytest.mark.parametrize(
    "query",
    [
        '"gốm" OR (sứ*',
        "NEAR(gốm sứ)",
        "gốm AND",
        "*",
        '"',
        "'; DROP TABLE catalogue_product; --",
        "^bát",
        "body:gom",
        "%_\\",
        "-gốm",
        "gốm)",
        "((",
        "a" * 300,
        "🙂 gốm",
        "NOT",
        "OR OR",
    ],
)
def test_hostile_input_never_raises(shelf, query):
    assert all(isinstance(pk, int) for pk in search.search(query, among=published()))
    assert all(isinstance(name, str) for name in search.suggest(query))


def test_operators_in_a_query_are_plain_words(shelf):
    assert search.search('"gốm" OR (sứ*') == search.search("gom or su")
    assert search.search('"gốm"  (sứ*') == search.search("gom su")


def test_empty_query_finds_nothing(shelf):
    assert search.search("") == []
    assert search.search(" ,;!? ") == []
    assert search.suggest("") == []


# --- among: facets and visibility are applied in the database ----------------------------------


def test_among_restricts_the_results(shelf):
    elsewhere = shelf["mat_ong"].producer
    found = search.search("gom su", among=published().filter(producer=elsewhere))
    assert keys(shelf, found) == ["bat_an", "binh_gom"]


def test_among_with_a_join_restricts_without_repeating(shelf):
    crafts = published().filter(taxonomy__parent__code="148-thu-cong-my-nghe")
    assert keys(shelf, search.search("kham", among=crafts)) == [
        "hop_kham_trai",
        "hop_son_mai",
        "tranh_kham_trai",
    ]
    # each published product has two events (created as a draft, published): the join repeats it
    twice = published().filter(events__to_state__in=[ProductStatus.DRAFT, ProductStatus.PUBLISHED])
    for query in ("khamtrai", "bat trang"):
        found = search.search(query, among=twice)
        assert found == search.search(query, among=published())


def test_an_empty_among_finds_nothing(shelf):
    assert search.search("bat trang", among=Product.objects.none()) == []
    assert search.search("khamtrai", among=published().filter(pk__in=[])) == []


def test_a_limit_cuts_the_ranked_list(shelf):
    assert search.search("bat trang", limit=2) == search.search("bat trang")[:2]


# --- the index follows the writes of the services ----------------------------------------------


def test_a_renamed_product_is_found_by_its_new_name_only(shelf):
    mat_ong = shelf["mat_ong"]
    assert keys(shelf, search.search("hoa nhan")[:1]) == ["mat_ong"]
    assert "mat_ong" not in keys(shelf, search.search("bac ha"))

    services.product_save(actor=None, product=mat_ong, name="Mật ong bạc hà")

    assert keys(shelf, search.search("bac ha")) == ["mat_ong"]
    assert "mat_ong" not in keys(shelf, search.search("hoa nhan"))
    assert search.suggest("bac h") == ["Mật ong bạc hà"]


def test_the_vocabulary_follows_the_texts(shelf):
    from ocophub.catalogue.models import SearchWord

    words = {word for text in Product.objects.values_list("search_text", flat=True) for word in text.split()}
    assert set(SearchWord.objects.values_list("word", flat=True)) == words
    services.product_save(actor=None, product=shelf["mat_ong"], name="Mật ong bạc hà")
    assert {"bac", "ha"} <= set(SearchWord.objects.values_list("word", flat=True))  # added at once
    assert SearchWord.objects.filter(word="nhan").exists()  # kept until the daily rebuild
    call_command("run_daily", stdout=StringIO())
    assert not SearchWord.objects.filter(word="nhan").exists()
    assert SearchWord.objects.filter(word="bac").exists()


def test_a_new_product_is_found_at_once(shelf):
    product = _product(shelf["banh_chung"].producer, "Bánh giầy Quán Gánh", "148-banh-mut-keo")
    assert search.search("quan ganh", among=published()) == [product.pk]


def test_an_unpublished_product_leaves_the_public_results(shelf):
    binh = shelf["binh_hut_loc"]
    assert binh.pk in search.search("bat trang", among=published())

    services.product_transition(actor=None, product=binh, to=ProductStatus.DRAFT)

    assert binh.pk not in search.search("bat trang", among=published())
    assert binh.pk in search.search("bat trang")  # still indexed: its producer sees it
    assert "Bình hút lộc gốm sứ Bát Tràng" not in search.suggest("bat tr")

    services.product_transition(actor=None, product=binh, to=ProductStatus.PUBLISHED)
    assert binh.pk in search.search("bat trang", among=published())


def test_a_deleted_product_leaves_the_index(shelf):
    from django.db import connection

    from ocophub.catalogue.models import Certificate, ProductEvent
    from ocophub.catalogue.search import sqlite
    from ocophub.common.append_only import append_only_lifted

    product = shelf["che_shan"]
    pk = product.pk
    # history protects a product from deletion; the index must still cope with a row gone
    with append_only_lifted():  # the product's history is append-only: a repair lifts the guard
        Certificate.objects.filter(product_id=pk).delete()
        ProductEvent.objects.filter(product_id=pk).delete()
        Product.objects.filter(pk=pk).delete()
    search.reindex([pk])

    assert pk not in search.search("shan tuyet")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {sqlite.TABLE} WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0


def test_a_renamed_producer_is_found_by_its_new_name(shelf):
    producer = shelf["mat_ong"].producer
    services.producer_save(actor=None, producer=producer, name="Công ty TNHH Thực phẩm Sóc Sơn")
    assert set(search.search("soc son")) == set(producer.products.values_list("pk", flat=True))


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_are_the_names_the_search_finds_first(shelf):
    assert search.suggest("bat tr") == [
        "Bát ăn cơm tráng men",
        "Lọ hoa men lam vẽ tay",
        "Bình hút lộc gốm sứ Bát Tràng",
        "Ấm chén gốm Bát Tràng men rạn",
    ]
    assert search.suggest("KHAM") == ["Hộp khảm trai", "Hộp sơn mài khảm trứng", "Tranh khảm trai Chuyên Mỹ"]
    assert search.suggest("kham", limit=1) == ["Hộp khảm trai"]
    assert search.suggest("xqxq") == []


def test_suggestions_name_each_product_once(shelf):
    _product(shelf["hop_kham_trai"].producer, "Hộp khảm trai", "148-kham-trai")
    names = search.suggest("hop kham")
    assert names[0] == "Hộp khảm trai"
    assert names.count("Hộp khảm trai") == 1


# --- the generator -----------------------------------------------------------------------------


def test_generate_makes_a_searchable_synthetic_catalogue(reference_data):
    from ocophub.catalogue.management.commands.generate import SOURCE

    out = StringIO()
    call_command("generate", products=300, seed=7, stdout=out)

    made = Product.objects.filter(source=SOURCE)
    assert made.count() == 300
    assert not made.filter(is_illustrative=False).exists()
    assert not Producer.objects.filter(source=SOURCE, is_illustrative=False).exists()
    assert made.filter(status=ProductStatus.PUBLISHED).count() > 200
    assert not made.filter(taxonomy__isnull=True).exists()
    assert all(price > 0 and price % 1000 == 0 for price in made.values_list("list_price", flat=True))
    assert "products" in out.getvalue()

    # a share of them is certified, and each stores the stars its badge shows
    certified = Certificate.objects.filter(product__source=SOURCE)
    assert 50 < certified.count() < 200
    shown = {p.pk: selectors.badge(p) for p in selectors.with_details(made)}
    assert dict(made.values_list("pk", "current_stars")) == {
        pk: badge.stars if badge else None for pk, badge in shown.items()
    }
    assert {3, 4} <= {badge.stars for badge in shown.values() if badge}

    # the search text follows the same rules as products saved through the services
    for product in made.select_related(
        "producer__commune__parent", "producer__craft_village", "taxonomy__parent"
    )[:25]:
        assert product.search_text == services.search_text_for(product)

    # and the index answers on that data
    sample = made.filter(status=ProductStatus.PUBLISHED).order_by("pk").first()
    found = search.search(sample.name, among=published())
    assert sample.pk in found
    assert fold(sample.name) in Product.objects.get(pk=found[0]).search_text
    assert sample.name in search.suggest(sample.name, limit=50)


def test_generate_can_run_again_and_adds_more(reference_data):
    call_command("generate", products=40, seed=1, stdout=StringIO())
    call_command("generate", products=40, seed=1, stdout=StringIO())
    assert Product.objects.count() == 80
    assert Product.objects.values("slug").distinct().count() == 80
    assert Producer.objects.values("slug").distinct().count() == Producer.objects.count()
    # every product of both runs is in the index
    words = {pk for pk, text in Product.objects.values_list("pk", "search_text") if " gom" in f" {text}"}
    assert words and set(search.search("gom", limit=1000)) == words

"""The vocabulary (`SearchWord`): every word of the products' search texts, for typo and split look-ups.

`near(terms)` is the one query a search makes before the index is asked: the catalogue words that
each query word may stand for, by the contract's typo budget (optimal string alignment distance,
computed by rapidfuzz over the words of a fitting length) and as two words typed together.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..models import Product, SearchWord
from .contract import MAX_TYPO_WORD, typo_budget

BATCH = 2000
# how far `nearest` looks for a respelling when a query finds nothing
SUGGEST_DISTANCE = 2


@dataclass
class Near:
    typos: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    splits: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))


def _splits(word: str) -> list[tuple[str, str]]:
    if len(word) > MAX_TYPO_WORD:
        return []
    return [(word[:i], word[i:]) for i in range(1, len(word))]


def _words(lengths: set[int], names: set[str]) -> list[str]:
    condition = Q()
    if lengths:
        condition |= Q(length__in=sorted(lengths))
    if names:
        condition |= Q(word__in=sorted(names))
    if not condition:
        return []
    return list(SearchWord.objects.filter(condition).values_list("word", flat=True))


def near(terms: list[str]) -> Near:
    """For each query word: the catalogue words within its typo budget (itself excluded) and the
    pairs of catalogue words it is made of."""
    lengths: set[int] = set()
    parts: set[str] = set()
    for term in terms:
        budget = typo_budget(term)
        lengths.update(range(max(1, len(term) - budget), len(term) + budget + 1) if budget else ())
        parts.update(part for pair in _splits(term) for part in pair)
    words = _words(lengths, parts)
    known = set(words)
    found = Near()
    for term in dict.fromkeys(terms):
        budget = typo_budget(term)
        if budget:
            fitting = [word for word in words if abs(len(word) - len(term)) <= budget and word != term]
            found.typos[term] = sorted(
                word
                for word, _distance, _index in process.extract(
                    term, fitting, scorer=OSA.distance, score_cutoff=budget, limit=None
                )
            )
        found.splits[term] = [
            (first, second) for first, second in _splits(term) if first in known and second in known
        ]
    return found


def nearest(terms: list[str]) -> dict[str, list[str]]:
    """For each query word the catalogue does not hold, the catalogue words closest to it (up to
    three, nearest first): what "did you mean" offers when a query finds nothing. Words the
    catalogue holds are kept as they are."""
    lengths = {
        n
        for term in terms
        for n in range(max(1, len(term) - SUGGEST_DISTANCE), len(term) + SUGGEST_DISTANCE + 1)
    }
    words = _words(lengths, set(terms))
    known = set(words)
    found: dict[str, list[str]] = {}
    for i, term in enumerate(terms):
        typed = i == len(terms) - 1 and any(word.startswith(term) for word in words)
        if term in known or typed or len(term) > MAX_TYPO_WORD:
            continue
        limit = max(1, min(SUGGEST_DISTANCE, len(term) // 3))
        scored = process.extract(term, words, scorer=OSA.distance, score_cutoff=limit, limit=None)
        found[term] = [word for word, _d, _i in sorted(scored, key=lambda row: (row[1], row[0]))][:3]
    return found


def _words_of(texts: list[str]) -> set[str]:
    return {word for text in texts for word in text.split() if len(word) <= SearchWord.MAX_LENGTH}


def add_from(product_ids: list[int]) -> None:
    """Add the words of these products' texts that the vocabulary lacks."""
    for start in range(0, len(product_ids), BATCH):
        texts = list(
            Product.objects.filter(pk__in=product_ids[start : start + BATCH]).values_list(
                "search_text", flat=True
            )
        )
        add_words(_words_of(texts))


def add_words(words: set[str]) -> None:
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, length=len(word)) for word in sorted(words)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def rebuild() -> int:
    """The vocabulary made exactly the words of the products' texts."""
    words: set[str] = set()
    last = 0
    while True:
        rows = list(
            Product.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "search_text")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        words |= _words_of([text for _pk, text in rows])
    stale = set(SearchWord.objects.values_list("word", flat=True)) - words
    for start in range(0, len(stale), BATCH):
        SearchWord.objects.filter(word__in=sorted(stale)[start : start + BATCH]).delete()
    add_words(words)
    return len(words)

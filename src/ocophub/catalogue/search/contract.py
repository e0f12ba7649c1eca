"""The relevance contract: which products a query finds, and in which order. Both databases obey it.

Text. A product's search text (`Product.search_text`) is its name, producer, village, crafts,
communes and group, folded (lower case, no diacritics, đ → d) and cut into words of letters and
digits. A query is cut the same way (`common.text.search_terms`): punctuation and operators are
spaces, so "Bát Tràng!" and "bat trang" are the same query. Only the first `MAX_TERMS` words count.

Matching. A product matches when *every* query word matches a word of its text, in one of four ways:

    exact    the query word is a word of the text                      "gom" ~ "gom"
    prefix   the *last* query word (the one being typed) starts a word  "tr"  ~ "trang"
    typo     a word of the text is within the typo budget of the query  "trng" ~ "trang"
             word: 0 edits for up to 4 letters, 1 from 5, 2 from 9 (insert, delete, substitute
             or swap two neighbours — optimal string alignment distance, on folded text)
    split    the query word is two neighbouring words of the text      "khamtrai" ~ "kham trai"
             typed together

Nothing else is found or counted: no trigram look-alikes, no partial matches.

Order ("tiers", best first):

    4  the whole query is a phrase of the text (its words in a row, on word boundaries)
    3  every query word matched exactly
    2  every query word matched exactly or as a prefix
    1  some query word matched only by a typo or a split

Within a tier: the shorter search text first (a name that is mostly the query), then the older
product (smaller id). `tier()` and `matches()` below are the contract written in Python: the tests
hold the databases' answers against them; the databases evaluate the same rule in SQL.
"""

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from ocophub.common.text import search_terms

# Only the first words of a query count: a 10 000-character query costs no more than a short one.
MAX_TERMS = 8
# Longer query words match exactly or as a prefix only (no typo or split look-up).
MAX_TYPO_WORD = 32

PHRASE, EXACT, PREFIX, TYPO = 4, 3, 2, 1


def typo_budget(word: str) -> int:
    """Edits allowed for a query word: none up to 4 letters, 1 from 5, 2 from 9."""
    if len(word) > MAX_TYPO_WORD:
        return 0
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def query_terms(query: str | None) -> list[str]:
    """The words of a query that count, folded."""
    return search_terms((query or "")[: MAX_TERMS * (MAX_TYPO_WORD + 1) * 4])[:MAX_TERMS]


@dataclass
class Term:
    """One query word and the words of the catalogue it stands for."""

    word: str
    last: bool  # the word being typed: it also matches as a prefix
    typos: list[str] = field(default_factory=list)  # catalogue words within the typo budget
    splits: list[tuple[str, str]] = field(default_factory=list)  # two catalogue words typed together


@dataclass
class Plan:
    """A query worked out against the catalogue's vocabulary, ready to become SQL."""

    terms: list[Term]

    @property
    def phrase(self) -> str:
        return " ".join(term.word for term in self.terms)


def word_matches(term: Term, words: list[str]) -> int:
    """How the term matches a text's words: EXACT, PREFIX, TYPO, or 0 (it does not). By the
    definitions above, without a vocabulary (the reference the SQL is tested against)."""
    if term.word in words:
        return EXACT
    if term.last and any(word.startswith(term.word) for word in words):
        return PREFIX
    budget = typo_budget(term.word)
    if budget and any(
        abs(len(word) - len(term.word)) <= budget
        and OSA.distance(term.word, word, score_cutoff=budget) <= budget
        for word in words
    ):
        return TYPO
    if len(term.word) <= MAX_TYPO_WORD and any(
        first + second == term.word for first, second in zip(words, words[1:], strict=False)
    ):
        return TYPO
    return 0


def tier(terms: list[str], text: str) -> int:
    """The product's tier for the query words (0: it does not match)."""
    if not terms:
        return 0
    words = text.split()
    kinds = [word_matches(Term(word, last=i == len(terms) - 1), words) for i, word in enumerate(terms)]
    if not all(kinds):
        return 0
    if f" {' '.join(terms)} " in f" {text} ":
        return PHRASE
    return min(kinds)


def matches(terms: list[str], text: str) -> bool:
    return tier(terms, text) > 0


def order_key(terms: list[str], pk: int, text: str) -> tuple[int, int, int]:
    """Sort key of a matching product: tier (best first), shorter text, smaller id."""
    return (-tier(terms, text), len(text), pk)

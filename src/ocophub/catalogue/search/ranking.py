"""One ranking for every backend, so that the same query gives the same order on SQLite and PostgreSQL.

Tier 3: the whole folded query appears as a phrase (on word boundaries) in the product's search text.
Tier 2: every query word is the start of some word of the text ("gom su" → "gốm sứ", "bat tr" → "Bát Tràng").
Tier 1: trigram similarity of the query to the text's best-matching span ≥ SIMILARITY (typos: "khamtrai").
Within a tier: higher similarity first, then the shorter text, then the smaller id.
"""

SIMILARITY = 0.3


def trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(query: str, text: str) -> float:
    """Share of the query's trigrams found in the text (word-similarity in the manner of pg_trgm)."""
    wanted = trigrams(query.replace(" ", ""))  # spaces ignored: "khamtrai" ~ "kham trai"
    if not wanted:
        return 0.0
    have = trigrams(text.replace(" ", ""))
    return len(wanted & have) / len(wanted)


def tier(query: str, text: str) -> int:
    words = text.split()
    if f" {query} " in f" {text} ":
        return 3
    if all(any(word.startswith(term) for word in words) for term in query.split()):
        return 2
    if similarity(query, text) >= SIMILARITY:
        return 1
    return 0


def rank(query: str, candidates: list[tuple[int, str]]) -> list[int]:
    scored = []
    for pk, text in candidates:
        level = tier(query, text)
        if level:
            scored.append((-level, -round(similarity(query, text), 6), len(text), pk))
    scored.sort()
    return [row[-1] for row in scored]

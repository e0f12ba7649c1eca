"""One way to fold Vietnamese text for search, slugs and sorting.

`fold()` lowercases, decomposes (NFD), drops the combining marks and maps `đ` to `d`, so that
"Đường Lâm", "duong lam" and "ĐƯỜNG LÂM" compare equal. Django's `slugify` drops `đ` outright
("Đường" → "ng"), so slugs are built from the folded text instead.
"""

import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lowercase, strip Vietnamese diacritics (đ → d too) and squeeze whitespace."""
    if not text:
        return ""
    lowered = text.replace("Đ", "đ").lower().replace("đ", "d")
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", lowered))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def slug(text: str | None, max_length: int = 80) -> str:
    """A URL slug from folded text: "Làng gốm Bát Tràng" → "lang-gom-bat-trang"."""
    value = _NOT_WORD.sub("-", fold(text)).strip("-")
    return value[:max_length].rstrip("-")


def search_terms(text: str | None) -> list[str]:
    """Folded words of a query, with punctuation and operators removed (safe for any backend)."""
    return [word for word in _NOT_WORD.split(fold(text)) if word]

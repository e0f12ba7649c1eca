"""One way to fold Vietnamese text for search, slugs and sorting.

`fold()` lowercases, decomposes (NFD), drops the combining marks and maps `đ` to `d`, so that
"Đường Lâm", "duong lam" and "ĐƯỜNG LÂM" compare equal. `Folded` is the same in SQL, for the columns
that keep no folded copy. Django's `slugify` drops `đ` outright
("Đường" → "ng"), so slugs are built from the folded text instead.
"""

import re
import unicodedata
from typing import Any

from django.db.models import Func, TextField

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


class Folded(Func):
    """fold() of a text column in SQL, to match folded search words against it (a scan: keep it to small
    tables or narrowed rows). SQLite: `fold` itself, registered on each connection by the project's
    backend (common/sqlite/base.py); PostgreSQL: lower(unaccent(…)) (the unaccent extension comes with
    catalogue's search migration; its rules map đ to d as fold does). Spaces are not squeezed: match
    word by word."""

    function = "ocophub_fold"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="lower(unaccent(%(expressions)s))", **extra)

"""Centers answer the hooks of lower apps: role grants over a center name a real one."""

from collections.abc import Iterable


def _labels(ids: Iterable[int]) -> dict[int, str]:
    from .models import Center

    return dict(Center.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _search(term: str, offset: int, limit: int) -> list[tuple[int, str]]:
    from ocophub.common.text import fold

    from .models import Center

    qs = Center.objects.filter(folded_name__contains=fold(term)).order_by("folded_name", "pk")
    return list(qs.values_list("pk", "name")[offset : offset + limit])


def install() -> None:
    from ocophub.accounts import scopes
    from ocophub.accounts.models import ScopeKind

    scopes.register(scopes.ScopeResolver(kind=ScopeKind.CENTER, labels=_labels, search=_search))

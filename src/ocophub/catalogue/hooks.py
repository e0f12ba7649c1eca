"""The catalogue answers the hooks of lower apps: role grants over a producer name a real one."""

from collections.abc import Iterable


def _labels(ids: Iterable[int]) -> dict[int, str]:
    from .models import Producer

    return dict(Producer.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _search(term: str, offset: int, limit: int) -> list[tuple[int, str]]:
    from django.db.models import Q

    from ocophub.common.text import fold

    from .models import Producer

    folded = fold(term)
    qs = Producer.objects.filter(Q(folded_name__contains=folded) | Q(registration_number=term.strip()))
    return list(qs.order_by("folded_name", "pk").values_list("pk", "name")[offset : offset + limit])


def install() -> None:
    from ocophub.accounts import scopes
    from ocophub.accounts.models import ScopeKind

    scopes.register(scopes.ScopeResolver(kind=ScopeKind.PRODUCER, labels=_labels, search=_search))

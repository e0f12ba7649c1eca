"""The tours' answers to lower apps' hooks: bookings expire with their seat holds, role grants over an
operator name a real one; and the job that expires waiting-list offers."""

from collections.abc import Iterable


def _labels(ids: Iterable[int]) -> dict[int, str]:
    from .models import Operator

    return dict(Operator.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _search(term: str, offset: int, limit: int) -> list[tuple[int, str]]:
    from ocophub.common.text import fold

    from .models import Operator

    qs = Operator.objects.filter(folded_name__contains=fold(term)).order_by("folded_name", "pk")
    return list(qs.values_list("pk", "name")[offset : offset + limit])


def install() -> None:
    from ocophub.accounts import scopes
    from ocophub.accounts.models import ScopeKind
    from ocophub.seats import services as seats

    from . import services
    from .tasks import schedule_offer_expiry

    scopes.register(scopes.ScopeResolver(kind=ScopeKind.OPERATOR, labels=_labels, search=_search))
    if services.booking_hold_expired not in seats.HOLD_EXPIRED_HOOKS:
        seats.HOLD_EXPIRED_HOOKS.append(services.booking_hold_expired)
    if schedule_offer_expiry not in services.OFFER_EXPIRY_SCHEDULERS:
        services.OFFER_EXPIRY_SCHEDULERS.append(schedule_offer_expiry)

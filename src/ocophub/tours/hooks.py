"""The tours' answers to lower apps' hooks: bookings expire with their seat holds, role grants over an
operator name a real one; the job that expires waiting-list offers; and the "tours through …" panels
on the craft-village, center and product pages."""

from collections.abc import Iterable


def _labels(ids: Iterable[int]) -> dict[int, str]:
    from .models import Operator

    return dict(Operator.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _search(term: str, offset: int, limit: int) -> list[tuple[int, str]]:
    from ocophub.common.text import fold

    from .models import Operator

    qs = Operator.objects.filter(folded_name__contains=fold(term)).order_by("folded_name", "pk")
    return list(qs.values_list("pk", "name")[offset : offset + limit])


PRODUCT_PANEL = "tours/public/_product_tours.html"


def install() -> None:
    from ocophub.accounts import scopes
    from ocophub.accounts.models import ScopeKind
    from ocophub.catalogue import selectors as catalogue
    from ocophub.centers import selectors as centers
    from ocophub.programme import selectors as programme
    from ocophub.seats import services as seats

    from . import panels, panels_dashboard, services
    from .tasks import schedule_offer_expiry

    scopes.register(scopes.ScopeResolver(kind=ScopeKind.OPERATOR, labels=_labels, search=_search))
    if services.booking_hold_expired not in seats.HOLD_EXPIRED_HOOKS:
        seats.HOLD_EXPIRED_HOOKS.append(services.booking_hold_expired)
    if schedule_offer_expiry not in services.OFFER_EXPIRY_SCHEDULERS:
        services.OFFER_EXPIRY_SCHEDULERS.append(schedule_offer_expiry)
    village_panel = (panels.PANEL, panels.village_tours)
    if village_panel not in catalogue.VILLAGE_PANELS:
        catalogue.VILLAGE_PANELS.append(village_panel)
    center_panel = (panels.PANEL, panels.center_tours)
    if center_panel not in centers.CENTER_PANELS:
        centers.CENTER_PANELS.append(center_panel)
    if PRODUCT_PANEL not in catalogue.PRODUCT_PANELS:
        catalogue.PRODUCT_PANELS.append(PRODUCT_PANEL)
    dashboard_panel = (panels_dashboard.PANEL, panels_dashboard.dashboard_visits)
    if dashboard_panel not in programme.DASHBOARD_PANELS:
        programme.DASHBOARD_PANELS.append(dashboard_panel)

"""The shop's answers to hooks: of lower apps, and of its own services (the background jobs)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

BUY_PANEL = "sales/shop/_buy.html"


def install() -> None:
    """Offer the buy panel on the catalogue's product page (the catalogue does not know the shop): a live
    panel, rendered on every request, as it shows the stock of now and forms with the viewer's CSRF token."""
    from ocophub.catalogue import selectors as catalogue

    if BUY_PANEL not in catalogue.PRODUCT_LIVE_PANELS:
        catalogue.PRODUCT_LIVE_PANELS.append(BUY_PANEL)

    from .services import orders
    from .tasks import schedule_hold_release

    if schedule_hold_release not in orders.HOLD_RELEASE_SCHEDULERS:
        orders.HOLD_RELEASE_SCHEDULERS.append(schedule_hold_release)

    from ocophub.inventory import references

    from .references import describe_orders, describe_returns, describe_sales

    references.REFERENCE_KINDS.setdefault("sale", describe_sales)
    references.REFERENCE_KINDS.setdefault("return", describe_returns)
    references.REFERENCE_KINDS.setdefault("order", describe_orders)
    # the login pages (e-mail or phone, sign-up, admin) all go through django.contrib.auth.login
    user_logged_in.connect(merge_basket_on_login, dispatch_uid="ocophub.sales.merge_basket_on_login")


def merge_basket_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Django's user_logged_in: the guest basket of the browser joins the customer's saved one."""
    if request is None or getattr(request, "session", None) is None:
        return
    from .forms_shop import Basket

    Basket(request.session, user).merge_saved()

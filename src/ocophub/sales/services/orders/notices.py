"""What an order tells its customer (by e-mail, or by text message without one) and its center."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ocophub.accounts import selectors as accounts
from ocophub.common.sms import send_sms

from ...models import Order, OrderLine


def notify_customer_of(order_id: int, template: str) -> None:
    order = Order.objects.select_related("center").get(pk=order_id)
    notify_customer(order, list(order.lines.select_related("product")), template)


def notify_center(order: Order, lines: list[OrderLine]) -> None:
    """Tell the center's managers and staff of a new order (after the commit, outside any lock)."""
    recipients = accounts.center_notice_emails(order.center_id)
    if not recipients:
        return
    path = reverse("shop:center_order", args=[order.center.slug, order.number])
    with translation.override("vi"):
        context = {
            "order": order,
            "lines": lines,
            "desk_url": f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}",
        }
        subject = render_to_string("sales/email/new_order_subject.txt", context).strip()
        body = render_to_string("sales/email/new_order.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_customer(order: Order, lines: list[OrderLine], template: str) -> None:
    with translation.override("vi"):
        context = {"order": order, "lines": lines}
        subject = render_to_string(f"sales/email/{template}_subject.txt", context).strip()
        if not order.email:
            send_sms(order.phone, render_to_string(f"sales/sms/{template}.txt", context).strip())
            return
        body = render_to_string(f"sales/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])

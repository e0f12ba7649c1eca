"""E-mails about a product's review: to the unit's officers when it is submitted, to the producer when
decided.

They are sent after the transaction commits (never while a row is locked), in Vietnamese, the site's
language.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from ocophub.accounts.models import Role, RoleGrant
from ocophub.accounts.permissions import covers_unit

from .models import Product


def producer_recipients(product: Product) -> list[str]:
    producer = product.producer
    emails = {producer.email} if producer.email else set()
    members = (
        RoleGrant.objects.live()
        .filter(role=Role.PRODUCER_MEMBER, scope_id=producer.pk)
        .select_related("user")
    )
    emails |= {grant.user.email for grant in members if grant.user.email and grant.user.is_active}
    return sorted(emails)


def reviewer_recipients(product: Product) -> list[str]:
    officers = RoleGrant.objects.live().filter(role=Role.UNIT_OFFICER).select_related("user", "unit")
    return sorted(
        {
            grant.user.email
            for grant in officers
            if grant.user.email and grant.user.is_active and covers_unit(grant.user, product.producer.commune)
        }
    )


def review_notice_send(product_id: int, outcome: str, reason: str = "") -> None:
    """`outcome` is the status the product moved to: submitted, published or draft (sent back)."""
    product = Product.objects.select_related("producer", "producer__commune").get(pk=product_id)
    recipients = reviewer_recipients(product) if outcome == "submitted" else producer_recipients(product)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "catalogue/email/product_review.txt",
            {"product": product, "outcome": outcome, "reason": reason, "site": settings.SITE_URL},
        )
        subjects = {
            "submitted": "Sản phẩm chờ duyệt: %s",
            "published": "Sản phẩm đã được duyệt và đăng: %s",
            "draft": "Sản phẩm cần sửa trước khi đăng: %s",
        }
        subject = subjects[outcome] % product.name
    send_mail(subject, body, None, recipients)

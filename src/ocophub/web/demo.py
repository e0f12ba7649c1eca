"""Which mode a site runs in: a demo with public logins, or a real (production) site.

The demo accounts share a password printed in the README, so demo data is added only when asked for
(`ocophub setup --demo`, which `make run` does) and never on settings that serve a public host.
"""

from django.conf import settings

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import User

DEMO_ADMIN_LOGIN = "admin@ocophub.vn"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}


def public_hosts() -> list[str]:
    """The allowed host names that are not this machine: a site reachable by others."""
    return [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]


def demo_refused_reason() -> str | None:
    """Why demo data may not be added with these settings, or None when it may."""
    if settings.DEBUG or not settings.HTTPS:
        return None
    if hosts := public_hosts():
        return (
            f"the settings serve {', '.join(hosts)} over HTTPS (a production site); demo accounts "
            "with a public password are never added there"
        )
    return None


def is_demo_database() -> bool:
    """Whether the database holds the demo accounts with their public password."""
    admin = User.objects.filter(email=DEMO_ADMIN_LOGIN).first()
    return admin is not None and admin.check_password(DEMO_PASSWORD)


def demo_pictures_create() -> int:
    """Give every product, producer and center without a photo a drawn one; returns pictures made.

    Safe to run again: what already has a photo is left alone.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ocophub.catalogue import services as catalogue
    from ocophub.catalogue.models import Producer, Product
    from ocophub.centers import services as centers
    from ocophub.centers.models import Center

    from . import demo_pictures as pictures

    def upload(slug: str, data: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(f"{slug}.jpg", data, content_type="image/jpeg")

    made = 0
    for product in Product.objects.filter(photos__isnull=True).select_related("taxonomy").order_by("pk"):
        data = pictures.product_picture(
            product.slug, product.name, product.taxonomy.code if product.taxonomy else ""
        )
        catalogue.product_photo_add(
            actor=None, product=product, image=upload(product.slug, data), caption=pictures.CREDIT
        )
        made += 1
    for producer in Producer.objects.filter(photos__isnull=True).order_by("pk"):
        data = pictures.producer_picture(producer.slug, producer.name)
        catalogue.producer_photo_add(
            actor=None, producer=producer, image=upload(producer.slug, data), caption=pictures.CREDIT
        )
        made += 1
    for center in Center.objects.filter(photos__isnull=True).order_by("pk"):
        data = pictures.center_picture(center.slug, center.name)
        centers.center_photo_add(
            actor=None, center=center, image=upload(center.slug, data), caption=pictures.CREDIT
        )
        made += 1
    return made

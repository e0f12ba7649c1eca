"""Background jobs of the catalogue."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from ocophub.accounts.models import Role, RoleGrant
from ocophub.accounts.permissions import covers_unit
from ocophub.common.dates import local_today

from .models import EXPIRY_NOTICE_DAYS, Certificate


def certificate_recipients(certificate: Certificate) -> list[str]:
    """The producer, its members and the unit officers of its commune."""
    producer = certificate.product.producer
    emails = {producer.email} if producer.email else set()
    members = (
        RoleGrant.objects.live()
        .filter(role=Role.PRODUCER_MEMBER, scope_id=producer.pk)
        .select_related("user")
    )
    emails |= {grant.user.email for grant in members if grant.user.email and grant.user.is_active}
    officers = RoleGrant.objects.live().filter(role=Role.UNIT_OFFICER).select_related("user", "unit")
    for grant in officers:
        if grant.user.email and grant.user.is_active and covers_unit(grant.user, producer.commune):
            emails.add(grant.user.email)
    return sorted(emails)


def certificates_notify_expiring_now(today: dt.date | None = None) -> int:
    """E-mail about every valid certificate that ends within 30 days and was not announced yet.

    Idempotent: each certificate is announced once (`expiry_notified_on`), so the job may run hourly.
    """
    today = today or local_today()
    due = Certificate.objects.filter(
        revoked_on__isnull=True,
        superseded_by__isnull=True,
        expiry_notified_on__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=EXPIRY_NOTICE_DAYS),
    ).select_related("product__producer__commune__parent")
    sent = 0
    for certificate in due:
        recipients = certificate_recipients(certificate)
        with transaction.atomic():
            claimed = Certificate.objects.filter(pk=certificate.pk, expiry_notified_on__isnull=True).update(
                expiry_notified_on=today
            )
        if not claimed:
            continue  # another worker took it
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "catalogue/email/certificate_expiring.txt", {"certificate": certificate}
                )
                subject = f"Chứng nhận OCOP sắp hết hạn: {certificate.product.name}"
            send_mail(subject, body, None, recipients)
        sent += 1
    return sent


@task()
def certificates_notify_expiring() -> int:
    return certificates_notify_expiring_now()


def import_progress_key(job: str) -> str:
    return f"catalogue:import:{job}"


IMPORT_PROGRESS_SECONDS = 24 * 60 * 60


@task()
def products_import_job(job: str, path: str, user_id: int, commit: bool) -> str:
    """Check (or import) a large Excel file in the background, reporting progress through the cache.

    The state under `import_progress_key(job)` is a dict: state queued → running → checked | failed |
    done, rows done and total, and the report at the end. The cache, not the database, carries the
    progress: an import is one transaction, and what it writes is not visible to the page until it ends.
    """
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    from ocophub.accounts.models import User

    from . import spreadsheet

    key = import_progress_key(job)
    state = cache.get(key) or {}
    step = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 0
        if percent != step["last"]:
            step["last"] = percent
            cache.set(
                key, {**state, "state": "running", "done": done, "total": total}, IMPORT_PROGRESS_SECONDS
            )

    user = User.objects.get(pk=user_id)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if commit:
        default_storage.delete(path)  # a second confirmation cannot import the same file twice
    with translation.override(settings.LANGUAGE_CODE):
        report = spreadsheet.products_import(actor=user, data=data, commit=commit, progress=progress)
    succeeded = report.committed if commit else report.ok
    outcome = ("done" if commit else "checked") if succeeded else "failed"
    cache.set(key, {**state, "state": outcome, "report": report}, IMPORT_PROGRESS_SECONDS)
    return outcome

"""Background jobs of the catalogue."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from ocophub.accounts.models import Role, RoleGrant
from ocophub.accounts.permissions import covers_unit
from ocophub.common.dates import local_today

from . import services
from .models import EXPIRY_NOTICE_DAYS, Certificate

logger = logging.getLogger(__name__)

# far longer than a delivery may take (settings.EMAIL_TIMEOUT): a claim this old was left by a run that
# stopped while sending
NOTICE_CLAIM_MINUTES = 30


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


def _notice_send(certificate: Certificate) -> None:
    recipients = certificate_recipients(certificate)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("catalogue/email/certificate_expiring.txt", {"certificate": certificate})
        subject = f"Chứng nhận OCOP sắp hết hạn: {certificate.product.name}"
    send_mail(subject, body, None, recipients)


def certificates_notify_expiring_now(today: dt.date | None = None) -> int:
    """E-mail about every valid certificate that ends within 30 days and was not announced yet.

    A certificate counts as announced only once its e-mail went out: a failed delivery leaves it for
    the next run, and one certificate's failure does not hold up the others. Concurrent runs do not
    send twice: each run claims a certificate by a conditional update before sending and lets go of
    the claim when the sending fails. A claim older than `NOTICE_CLAIM_MINUTES` belongs to a run that
    died while sending and may be taken over. Returns the number of certificates announced.
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
    for certificate in due.filter(_unclaimed()):
        claim = timezone.now()
        with transaction.atomic():
            claimed = (
                Certificate.objects.filter(pk=certificate.pk, expiry_notified_on__isnull=True)
                .filter(_unclaimed())
                .update(expiry_notice_claimed_at=claim)
            )
        if not claimed:
            continue  # another run is sending it, or has sent it
        mine = Certificate.objects.filter(pk=certificate.pk, expiry_notice_claimed_at=claim)
        try:
            _notice_send(certificate)
        except Exception:  # any failure of the mail backend: keep the notice for the next run
            logger.exception("expiry notice of certificate %s not delivered", certificate.pk)
            with transaction.atomic():
                mine.update(expiry_notice_claimed_at=None)
            continue
        with transaction.atomic():
            mine.update(expiry_notified_on=today, expiry_notice_claimed_at=None)
        sent += 1
    return sent


def _unclaimed() -> Q:
    stale = timezone.now() - dt.timedelta(minutes=NOTICE_CLAIM_MINUTES)
    return Q(expiry_notice_claimed_at__isnull=True) | Q(expiry_notice_claimed_at__lt=stale)


@task()
def certificates_notify_expiring() -> int:
    return certificates_notify_expiring_now()


@task()
def stars_refresh_due() -> int:
    """Bring the products' current stars up to date after certificates expired or took effect."""
    return services.stars_refresh_due()


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

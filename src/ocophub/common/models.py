"""Base models shared by every app; no domain rules live here."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TransitionEvent(models.Model):
    """One move of a state machine: who, when, from, to, why. Each app subclasses it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_state = models.CharField(_("from state"), max_length=40, blank=True)
    to_state = models.CharField(_("to state"), max_length=40)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed when the key comes again."""

    scope = models.CharField(max_length=80, help_text="operation and caller the key belongs to")
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="common_idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class ChangeRecord(models.Model):
    """One edit of a record: who, when, and each changed field's value before and after.

    The record is named by its type ("catalogue.product") and id rather than a foreign key, so that
    every app can keep its history here without `common` knowing the apps above it.
    """

    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("object id"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("field → [before, after]"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="common_change_object"),
            models.Index(fields=["at"], name="common_change_at"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.at:%d/%m/%Y %H:%M}"


class RateCounter(models.Model):
    """How many times one client did one thing in one fixed window, shared by every app server.

    `scope` names the limited action ("password_reset:address"), `key` the client (an address, a
    folded e-mail), `window` the start of the window the hits fall in.
    """

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=254)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window"], name="common_rate_counter_unique")
        ]
        indexes = [models.Index(fields=["window"], name="common_rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.hits}"

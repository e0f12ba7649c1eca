"""Users, their scoped roles, personal API tokens and login attempts."""

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel
from ocophub.places.models import AdministrativeUnit

from .phone import normalize_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self,
        email: str | None = None,
        password: str | None = None,
        *,
        phone: str | None = None,
        **extra: Any,
    ) -> "User":
        email = self.normalize_email(email).lower() if email else None
        phone = normalize_phone(phone) if phone else None
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a phone number")
        user = self.model(email=email, phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address or a Vietnamese phone number."""

    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False), name="accounts_user_has_login"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    @property
    def login_name(self) -> str:
        return self.email or self.phone or ""


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator (Department of Industry and Trade)")
    TOURISM = "tourism", _("Department of Tourism")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    CENTER_MANAGER = "center_manager", _("Center manager")
    CENTER_STAFF = "center_staff", _("Center staff")
    DESIGNER = "designer", _("Designer")
    PRODUCER_MEMBER = "producer_member", _("OCOP producer member")
    OPERATOR_MEMBER = "operator_member", _("Tour operator member")
    CUSTOMER = "customer", _("Customer")


class ScopeKind(models.TextChoices):
    NONE = "", _("no scope")
    UNIT = "unit", _("administrative unit")
    CENTER = "center", _("center")
    PRODUCER = "producer", _("OCOP producer")
    OPERATOR = "operator", _("tour operator")


# Which scope each role is granted over. Centers, producers and operators live in apps above
# accounts, so their grants carry the object's id (`scope_id`) rather than a foreign key.
ROLE_SCOPE: dict[str, str] = {
    Role.CITY_ADMIN: ScopeKind.NONE,
    Role.TOURISM: ScopeKind.NONE,
    Role.UNIT_OFFICER: ScopeKind.UNIT,
    Role.CENTER_MANAGER: ScopeKind.CENTER,
    Role.CENTER_STAFF: ScopeKind.CENTER,
    Role.DESIGNER: ScopeKind.CENTER,
    Role.PRODUCER_MEMBER: ScopeKind.PRODUCER,
    Role.OPERATOR_MEMBER: ScopeKind.OPERATOR,
    Role.CUSTOMER: ScopeKind.NONE,
}


def _scope_condition() -> Q:
    condition = Q()
    for role, kind in ROLE_SCOPE.items():
        if kind == ScopeKind.NONE:
            rule = Q(unit__isnull=True, scope_id__isnull=True)
        elif kind == ScopeKind.UNIT:
            rule = Q(unit__isnull=False, scope_id__isnull=True)
        else:
            rule = Q(unit__isnull=True, scope_id__isnull=False)
        condition |= Q(role=role) & rule
    return condition


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def live(self) -> "RoleGrantQuerySet":
        """Grants in force: a revoked grant is kept as a record but gives no access."""
        return self.filter(revoked_at__isnull=True)


LIVE = Q(revoked_at__isnull=True)


class RoleGrant(TimeStampedModel):
    """A role a user holds, over a scope: an administrative unit, a center, a producer or an operator.

    Revoking a grant keeps its row (who granted it, who revoked it, when and why); only live grants
    count for permissions, and the same role may be granted again after a revocation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the id of a center, producer or operator, checked against the scope resolvers (scopes.py) by
    # role_grant: those tables live in apps above accounts, so no foreign key can point at them
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_scope_condition(), name="accounts_grant_scope_matches_role"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True, scope_id__isnull=True) & LIVE,
                name="accounts_grant_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False) & LIVE,
                name="accounts_grant_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_id"],
                condition=Q(scope_id__isnull=False) & LIVE,
                name="accounts_grant_unique_scope",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="accounts_rolegrant_created"),
            models.Index(fields=["revoked_at"], name="accounts_rolegrant_revoked"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.scope_label}".strip()

    @property
    def scope_kind(self) -> str:
        return ROLE_SCOPE[self.role]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def scope_label(self) -> str:
        """The name of the unit, center, producer or operator the grant is over ("" for none).

        Lists fill it for a whole page at once (`scopes.attach_labels`); one grant alone asks the
        resolver of its kind."""
        cached = getattr(self, "_scope_label", None)
        if cached is not None:
            return cached
        from .scopes import scope_label

        self._scope_label = scope_label(self)
        return self._scope_label


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginAttempt(models.Model):
    """One login attempt, kept in the database so that every app server sees the same count."""

    login = models.CharField(_("login"), max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["login", "-at"]),
            models.Index(fields=["ip_address", "-at"], name="accounts_login_address"),
        ]

    def __str__(self) -> str:
        return f"{self.login} {'ok' if self.succeeded else 'fail'} {self.at:%Y-%m-%d %H:%M}"


class PhoneResetCode(models.Model):
    """A one-time code sent by text message to reset the password of an account with a phone number.

    Only a keyed hash of the code is stored. It works once, until `expires_at`, and dies after
    PHONE_RESET_CODE_MAX_TRIES wrong tries; asking for a new code ends the older ones.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_reset_codes")
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("password reset code")
        verbose_name_plural = _("password reset codes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_reset_code_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"

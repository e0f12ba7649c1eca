"""The shop basket of a logged-in customer, kept across sessions (a guest's lives in the session only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedBasket(models.Model):
    """What a customer put in the shop basket: {center id: {product id: quantity}}, as in the session.

    Written whenever a logged-in customer's basket changes, read back (and merged with the guest basket
    of that browser) when they log in, so that logging out and in again finds the same basket.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="saved_basket"
    )
    lines = models.JSONField(_("lines"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("saved basket")
        verbose_name_plural = _("saved baskets")

    def __str__(self) -> str:
        return f"{self.user_id}"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeatsConfig(AppConfig):
    name = "ocophub.seats"
    verbose_name = _("Seats")

    def ready(self) -> None:
        from . import hooks

        hooks.install()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToursConfig(AppConfig):
    name = "ocophub.tours"
    verbose_name = _("Tours")

    def ready(self) -> None:
        from . import hooks

        hooks.install()

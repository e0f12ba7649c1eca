from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "ocophub.centers"
    label = "centers"
    verbose_name = _("Centers")

    def ready(self) -> None:
        from . import hooks

        hooks.install()

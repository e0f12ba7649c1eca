from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "ocophub.design"
    verbose_name = _("Design studio")

    def ready(self) -> None:
        from . import hooks

        hooks.install()

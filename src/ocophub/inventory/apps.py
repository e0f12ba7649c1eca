from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "ocophub.inventory"
    verbose_name = _("Consignment stock")

    def ready(self) -> None:
        from . import hooks

        hooks.install()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ocophub.accounts"
    label = "accounts"
    verbose_name = _("Account")

    def ready(self) -> None:
        from ocophub.places import policy

        from . import permissions

        policy.install(
            policy.Policy(
                can_use_admin_site=permissions.can_use_admin_site,
                can_edit_places=permissions.can_edit_places,
                can_edit_craft_villages_in=permissions.can_edit_craft_villages_in,
                can_edit_craft_village=permissions.can_edit_craft_village,
            )
        )

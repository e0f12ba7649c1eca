"""Who may change places: a question places asks and the accounts app answers.

Places sits below accounts, so it cannot read role grants itself. It states the questions here and
refuses everything until accounts installs its answers when the apps are ready (accounts.apps).
"""

from dataclasses import dataclass
from typing import Any, Protocol

from .models import AdministrativeUnit, CraftVillage


class UserCheck(Protocol):
    def __call__(self, user: Any) -> bool: ...


class CommuneCheck(Protocol):
    def __call__(self, user: Any, commune: AdministrativeUnit | None) -> bool: ...


class VillageCheck(Protocol):
    def __call__(self, user: Any, village: CraftVillage) -> bool: ...


def _refuse(*args: Any, **kwargs: Any) -> bool:
    return False


@dataclass
class Policy:
    can_use_admin_site: UserCheck = _refuse
    can_edit_places: UserCheck = _refuse
    can_edit_craft_villages_in: CommuneCheck = _refuse
    can_edit_craft_village: VillageCheck = _refuse


current = Policy()


def install(policy: Policy) -> None:
    """Answer the questions (the accounts app does, once)."""
    global current
    current = policy

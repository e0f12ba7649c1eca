"""Demo accounts, one per role that exists on its own. Centers, producers and operators add theirs."""

from dataclasses import dataclass

from ocophub.places import selectors as places

from . import services
from .models import Role, User

DEMO_PASSWORD = "ocophub-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    login: str
    role: str


def demo_users_create() -> list[DemoLogin]:
    """Create the demo accounts that are missing; existing ones are left as they are."""
    made: list[DemoLogin] = []
    gia_lam = places.district_by_code(18)
    specs = [
        ("admin@ocophub.vn", None, "Quản trị Sở Công Thương", Role.CITY_ADMIN, None, True),
        ("dulich@ocophub.vn", None, "Cán bộ Sở Du lịch", Role.TOURISM, None, False),
        ("gialam@ocophub.vn", None, "Cán bộ huyện Gia Lâm", Role.UNIT_OFFICER, gia_lam, False),
        (None, "0912000001", "Nguyễn Thị Lan", Role.CUSTOMER, None, False),
    ]
    for email, phone, name, role, unit, staff in specs:
        user = (
            User.objects.filter(email=email).first()
            if email
            else User.objects.filter(phone="+84912000001").first()
        )
        if user is None:
            user = services.user_create(
                actor=None, full_name=name, email=email, phone=phone, password=DEMO_PASSWORD, is_staff=staff
            )
            if role == Role.CITY_ADMIN:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        services.role_grant(actor=None, user=user, role=role, unit=unit)
        made.append(DemoLogin(email or phone or "", str(Role(role).label)))
    return made

"""Which mode a site runs in: a demo with public logins, or a real (production) site.

The demo accounts share a password printed in the README, so demo data is added only when asked for
(`ocophub setup --demo`, which `make run` does) and never on settings that serve a public host.
"""

from django.conf import settings

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import User

DEMO_ADMIN_LOGIN = "admin@ocophub.vn"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}


def public_hosts() -> list[str]:
    """The allowed host names that are not this machine: a site reachable by others."""
    return [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]


def demo_refused_reason() -> str | None:
    """Why demo data may not be added with these settings, or None when it may."""
    if settings.DEBUG or not settings.HTTPS:
        return None
    if hosts := public_hosts():
        return (
            f"the settings serve {', '.join(hosts)} over HTTPS (a production site); demo accounts "
            "with a public password are never added there"
        )
    return None


def is_demo_database() -> bool:
    """Whether the database holds the demo accounts with their public password."""
    admin = User.objects.filter(email=DEMO_ADMIN_LOGIN).first()
    return admin is not None and admin.check_password(DEMO_PASSWORD)

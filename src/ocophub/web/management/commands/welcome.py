"""Print where the site is served and how to log in."""

from typing import Any

from django.core.management.base import BaseCommand

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, RoleGrant


class Command(BaseCommand):
    help = "Print the site's URLs and the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://127.0.0.1:{options['port']}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("OCOP Hub is starting"))
        self.stdout.write(f"  site       {base}/")
        self.stdout.write(f"  API docs   {base}/api/v1/docs")
        self.stdout.write(f"  health     {base}/api/v1/health")
        self.stdout.write(f"  admin      {base}/quan-tri/")
        grants = (
            RoleGrant.objects.live()
            .select_related("user")
            .filter(user__date_joined__isnull=False)
            .order_by("role")
        )
        demo = [g for g in grants if g.user.check_password(DEMO_PASSWORD)]
        if demo:
            self.stdout.write(f"  demo logins (password: {DEMO_PASSWORD})")
            for grant in demo:
                self.stdout.write(f"    {grant.user.login_name:<24} {Role(grant.role).label}")
        self.stdout.write("")

"""Print where the site is served, which mode it runs in and, for a demo, how to log in."""

from typing import Any

from django.core.management.base import BaseCommand

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.web.demo import is_demo_database


class Command(BaseCommand):
    help = "Print the site's URLs, its mode (demo or production) and the demo logins."

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
        if is_demo_database():
            self.stdout.write(
                self.style.WARNING(
                    "  mode       DEMO: illustrative data and demo logins whose password is public; "
                    "never put this database on a public server"
                )
            )
            grants = RoleGrant.objects.live().select_related("user").order_by("role", "user__pk")
            self.stdout.write(f"  demo logins (password: {DEMO_PASSWORD})")
            for grant in grants:
                if grant.user.check_password(DEMO_PASSWORD):
                    self.stdout.write(f"    {grant.user.login_name:<28} {Role(grant.role).label}")
        else:
            self.stdout.write("  mode       production: no demo data, no demo logins")
            if not User.objects.filter(is_superuser=True, is_active=True).exists():
                self.stdout.write("  first administrator: ocophub createsuperuser")
        self.stdout.write("")

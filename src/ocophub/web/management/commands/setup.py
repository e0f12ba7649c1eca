"""Bring a database up to date: migrate, load places, add the demo data on first run."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ocophub.accounts.demo import DEMO_PASSWORD, demo_users_create
from ocophub.accounts.models import User
from ocophub.catalogue.demo import demo_catalogue_create, reference_load
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.inventory.models import Agreement
from ocophub.programme.demo import demo_funding_create, plans_load
from ocophub.sales.demo import HISTORY_DAYS, demo_selling_create


class Command(BaseCommand):
    help = "Migrate, load administrative units and craft villages, and add demo data on first run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Never add demo data")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("==> migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("==> administrative units and craft villages")
        call_command("load_places", stdout=self.stdout)
        self.stdout.write("==> reference data: recognition criteria and the city's plans")
        criteria_load()
        plans_load()
        reference_load()
        if options["no_demo"]:
            return
        if User.objects.exists():
            if self._demo_database() and not Agreement.objects.exists():
                # a demo database made before selling existed: add the selling demo once
                self.stdout.write("==> adding the selling demo data")
                self._selling()
            else:
                self.stdout.write("==> demo data: already there (first run only)")
            return
        self.stdout.write("==> adding demo data (first run)")
        demo_users_create()
        centers = demo_centers_create()
        self.stdout.write(f"  {len(centers)} centers")
        self.stdout.write(f"  {demo_funding_create()} funding commitments (illustrative)")
        self.stdout.write(f"  {demo_catalogue_create()} products")
        self._selling()

    @staticmethod
    def _demo_database() -> bool:
        admin = User.objects.filter(email="admin@ocophub.vn").first()
        return admin is not None and admin.check_password(DEMO_PASSWORD)

    def _selling(self) -> None:
        selling = demo_selling_create()
        self.stdout.write(
            f"  {selling.agreements} consignment agreements, {selling.stock_rows} stock rows, "
            f"{selling.sales} counter sales over {HISTORY_DAYS} days, "
            f"{selling.orders} online orders (illustrative)"
        )

"""Bring a database up to date: migrate, load places and reference data; demo data only when asked."""

from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ocophub.accounts.demo import demo_users_create
from ocophub.accounts.models import User
from ocophub.catalogue.demo import demo_catalogue_create, reference_load
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.design.demo import demo_design_create
from ocophub.events.demo import demo_events_create
from ocophub.inventory.models import Agreement
from ocophub.programme.demo import demo_funding_create, plans_load
from ocophub.sales.demo import HISTORY_DAYS, demo_selling_create
from ocophub.tours.demo import demo_tours_create
from ocophub.web.demo import demo_pictures_create, demo_refused_reason, is_demo_database


def reference_data_load() -> None:
    """Recognition criteria, the city's plans and the OCOP rule sets (every site has them)."""
    criteria_load()
    plans_load()
    reference_load()


def demo_data_create(say: Callable[[str], None]) -> None:
    """The whole demo: accounts, centers, funding, the catalogue and its selling (over loaded places)."""
    demo_users_create()
    centers = demo_centers_create()
    say(f"  {len(centers)} centers")
    say(f"  {demo_funding_create()} funding commitments (illustrative)")
    say(f"  {demo_catalogue_create()} products")
    demo_selling_add(say)
    say(f"  {demo_events_create()} event sessions (illustrative)")
    say(f"  {demo_pictures_create()} pictures drawn for the products, producers and centers")
    say(f"  {demo_design_create()} design requests at the Bát Tràng studio (illustrative)")
    say(f"  {demo_tours_create()} tours with departures, bookings and pictures (illustrative)")


def demo_selling_add(say: Callable[[str], None]) -> None:
    selling = demo_selling_create()
    say(
        f"  {selling.agreements} consignment agreements, {selling.stock_rows} stock rows, "
        f"{selling.sales} counter sales over {HISTORY_DAYS} days, "
        f"{selling.orders} online orders (illustrative)"
    )


class Command(BaseCommand):
    help = (
        "Migrate, load administrative units, craft villages and reference data. With --demo, also add "
        "the demo data (accounts with a public password) to an empty database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Add demo data on the first run (refused on production settings)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] and (reason := demo_refused_reason()):
            raise CommandError(f"No demo data: {reason}. Run `ocophub setup` without --demo.")
        self.stdout.write("==> migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("==> administrative units and craft villages")
        call_command("load_places", stdout=self.stdout)
        self.stdout.write("==> reference data: recognition criteria, the city's plans, OCOP rule sets")
        reference_data_load()
        if not options["demo"]:
            self.stdout.write("==> no demo data (add --demo for a demonstration site)")
            return
        if User.objects.exists():
            if is_demo_database() and not Agreement.objects.exists():
                # a demo database made before selling existed: add the selling demo once
                self.stdout.write("==> adding the selling demo data")
                demo_selling_add(self.stdout.write)
            elif is_demo_database():
                self.stdout.write("==> demo data: already there (first run only)")
                if sessions := demo_events_create():
                    # a demo database made before events existed
                    self.stdout.write(f"  {sessions} event sessions added (illustrative)")
                if drawn := demo_pictures_create():
                    # a demo database made before its pictures existed
                    self.stdout.write(f"  {drawn} pictures drawn for the products, producers and centers")
                if designs := demo_design_create():
                    # a demo database made before the design studio existed
                    self.stdout.write(f"  {designs} design requests at the Bát Tràng studio (illustrative)")
                if tours := demo_tours_create():
                    # a demo database made before tours existed
                    self.stdout.write(
                        f"  {tours} tours with departures, bookings and pictures (illustrative)"
                    )
            else:
                self.stdout.write("==> demo data: not added, the database already has its own accounts")
            return
        self.stdout.write("==> adding demo data (first run)")
        demo_data_create(self.stdout.write)

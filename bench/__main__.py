"""Measure each read path against the raw SQL that returns the same rows, on the same database.

A ratio of 3.0 means the endpoint takes three times as long as the bare query. The numbers depend on
the machine; the ratios are what to watch from one change to the next.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")
os.environ.setdefault("HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(call: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def raw(sql: str, params: list) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    client = Client()
    from ocophub.accounts.models import User
    from ocophub.centers.models import Center

    manager = Client()
    manager_user = User.objects.filter(email="quanly.battrang@ocophub.vn").first()
    flagship = Center.objects.filter(name="Trung tâm OCOP làng gốm Bát Tràng").first()
    if manager_user is not None:
        manager.force_login(manager_user)
    cases = [
        (
            "communes ?q=xa (200 rows)",
            lambda: client.get("/api/v1/places/communes", {"q": "xa", "limit": 200}),
            raw(
                "SELECT u.code, u.name, u.era, u.division_type, u.valid_from, u.valid_to, p.code, p.name "
                "FROM places_administrativeunit u "
                "LEFT JOIN places_administrativeunit p ON p.id = u.parent_id "
                "WHERE u.level = 'commune' AND u.folded_name LIKE %s ORDER BY u.era, u.code, u.valid_to DESC "
                "LIMIT 200",
                ["%xa%"],
            ),
        ),
        (
            "districts (30 rows)",
            lambda: client.get("/api/v1/places/districts"),
            raw(
                "SELECT code, name, division_type, valid_from, valid_to FROM places_administrativeunit "
                "WHERE era = 'legacy' AND level = 'district' ORDER BY code",
                [],
            ),
        ),
        (
            "commune 583 with successors",
            lambda: client.get("/api/v1/places/communes/583"),
            raw(
                "SELECT n.code, n.name, s.partly_merged FROM places_unitsuccession s "
                "JOIN places_administrativeunit o ON o.id = s.predecessor_id "
                "JOIN places_administrativeunit n ON n.id = s.successor_id "
                "WHERE o.code = %s AND o.level = 'commune'",
                [583],
            ),
        ),
        (
            "centers, public list",
            lambda: client.get("/api/v1/centers", {"limit": 200}),
            raw(
                "SELECT c.id, c.name, c.status, u.code, u.name, p.code, p.name FROM centers_center c "
                "JOIN places_administrativeunit u ON u.id = c.commune_id "
                "LEFT JOIN places_administrativeunit p ON p.id = u.parent_id "
                "WHERE c.status IN ('recognised', 'operating') ORDER BY c.folded_name LIMIT 200",
                [],
            ),
        ),
        (
            "plan 276 progress",
            lambda: client.get("/api/v1/plans/276-KH-UBND/progress", {"date": "2025-12-31"}),
            raw(
                "SELECT p.code, e.to_state, COUNT(*) FROM centers_centerevent e "
                "JOIN centers_center c ON c.id = e.center_id "
                "JOIN places_administrativeunit u ON u.id = c.commune_id "
                "JOIN places_administrativeunit p ON p.id = u.parent_id "
                "WHERE e.effective_on <= %s GROUP BY p.code, e.to_state",
                ["2025-12-31"],
            ),
        ),
        (
            "products ?q=gom su (ranked)",
            lambda: client.get("/api/v1/products", {"q": "gom su", "limit": 24}),
            raw(
                "SELECT id, name, list_price FROM catalogue_product WHERE status = 'published' "
                "AND search_text LIKE %s AND search_text LIKE %s ORDER BY folded_name LIMIT 24",
                ["%gom%", "%su%"],
            ),
        ),
    ]
    if manager_user is None or flagship is None:
        print("(no selling demo data: the stock and sales cases are left out)", file=sys.stderr)
    else:
        cases += [
            (
                "stock of a center (manager)",
                lambda: manager.get("/api/v1/stock", {"center_id": flagship.pk, "limit": 200}),
                raw(
                    "SELECT s.id, s.on_hand, s.reserved, l.code, l.expires_on, p.id, p.name, r.id, r.name "
                    "FROM inventory_stock s JOIN inventory_lot l ON l.id = s.lot_id "
                    "JOIN catalogue_product p ON p.id = s.product_id "
                    "JOIN catalogue_producer r ON r.id = s.producer_id "
                    "WHERE s.center_id = %s AND s.on_hand > 0 ORDER BY p.folded_name, s.id LIMIT 200",
                    [flagship.pk],
                ),
            ),
            (
                "sales of a center (manager, 200)",
                lambda: manager.get("/api/v1/sales", {"center_id": flagship.pk, "limit": 200}),
                raw(
                    "SELECT s.id, s.number, s.total, s.created_at, l.product_id, l.quantity, l.amount "
                    "FROM sales_sale s JOIN sales_saleline l ON l.sale_id = s.id "
                    "WHERE s.center_id = %s ORDER BY s.created_at DESC, s.id DESC LIMIT 200",
                    [flagship.pk],
                ),
            ),
        ]
    print(f"{'case':<34} {'endpoint ms':>12} {'raw SQL ms':>11} {'ratio':>7}")
    for index, (name, endpoint, sql) in enumerate(cases, start=1):
        assert endpoint().status_code == 200  # warm up and check
        sql()
        endpoint_s = timed(endpoint, args.repeat)
        sql_s = timed(sql, args.repeat)
        print(f"{name:<34} {endpoint_s * 1000:>12.2f} {sql_s * 1000:>11.3f} {endpoint_s / sql_s:>7.1f}")
        print(f"  [{index}/{len(cases)}]", file=sys.stderr)


if __name__ == "__main__":
    main()

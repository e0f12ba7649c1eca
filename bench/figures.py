"""The figures measured in the bench's process: the app through Django's test client, against raw SQL.

Every ratio's limit is checked to return the app's rows (ids in the same order, or the same aggregate
rows) before it is timed; a difference stops the bench.
"""

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .timing import Figure, alone, interleaved, load_average, same_rows

SEARCHES = [  # (query, typo?) — with and without diacritics, and misspelt
    ("gốm sứ", False),
    ("gom su", False),
    ("bình gốm men lam", False),
    ("binh gom men lam", False),
    ("khảm trai", False),
    ("kham trai", False),
    ("khăn lụa tơ tằm", False),
    ("khan lua to tam", False),
    ("mật ong Ba Vì", False),
    ("mat ong ba vi", False),
    ("khamtrai", True),  # two words typed together
    ("bat trangg", True),  # one typo in a word of six letters
    ("son mai kham trungg", True),
    ("tranhh son mai", True),
    ("bat trng", True),  # four letters allow no typo: nothing found, "did you mean" counted
]
PAGE = 24
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
CITY_ADMIN = "admin@ocophub.vn"
CASHIER = "thungan.battrang@ocophub.vn"
FLAGSHIP = "Trung tâm OCOP làng gốm Bát Tràng"


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise AssertionError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def _api_ids(response: Any) -> list[int]:
    return [item["id"] for item in _ok(response).json()["items"]]


def _page_ids(response: Any) -> list[int]:
    return [product.pk for product, _badge in _ok(response).context["products"]]


class Bench:
    def __init__(self, repeat: int) -> None:
        from ocophub.accounts.models import User

        self.repeat = repeat
        self.figures: list[Figure] = []
        self.anonymous = Client()
        self.admin = Client()
        admin = User.objects.get(email=CITY_ADMIN)
        self.admin.force_login(admin)
        self.today = timezone.localdate()

    # --- helpers -------------------------------------------------------------------------------------

    def ratio(
        self,
        name: str,
        app: Callable[[], Any],
        limit: Callable[[], Any],
        app_rows: Callable[[Any], list[Any]],
        limit_rows: Callable[[Any], list[Any]],
        target: tuple[float, float] | None = None,
        absolute_ms: float | None = None,
    ) -> Figure:
        """Check the rows, then time app and limit interleaved. target (k, c): app ≤ k × limit + c ms."""
        check = same_rows(name, app_rows(app()), limit_rows(limit()))
        load = load_average()
        app_s, limit_s, runs = interleaved(app, limit, self.repeat)
        figure = Figure(name, "ratio", app_s * 1000, limit_s * 1000, app_s / limit_s, load=load, check=check)
        figure.extra["runs"] = runs
        if target is not None:
            k, c = target
            figure.target = f"≤ {k:g} × limit + {c:g} ms"
            figure.passed = figure.app_ms <= k * figure.limit_ms + c  # type: ignore[operator]
        if absolute_ms is not None:
            figure.target = f"≤ {absolute_ms:g} ms"
            figure.passed = figure.app_ms <= absolute_ms  # type: ignore[operator]
        self.figures.append(figure)
        print(f"  {name}", flush=True)
        return figure

    # --- catalogue -----------------------------------------------------------------------------------

    def searches(self) -> None:
        from . import search_limits

        for query, typo in SEARCHES:
            self.ratio(
                f"search API q={query}",
                lambda q=query: self.anonymous.get("/api/v1/products", {"q": q, "limit": PAGE}),
                lambda q=query: search_limits.limit(q, PAGE),
                _api_ids,
                list,
                target=None if typo else (1.3, 2),
                absolute_ms=60 if typo else None,
            )

    def catalogue(self) -> None:
        from . import search_limits

        count_sql = "SELECT COUNT(*) FROM catalogue_product WHERE status = 'published'"
        first_sql = (
            "SELECT p.id, p.name, p.slug, p.list_price, p.unit, r.id, r.name FROM catalogue_product p "
            "JOIN catalogue_producer r ON r.id = p.producer_id WHERE p.status = 'published' "
            "ORDER BY p.folded_name, p.id LIMIT %s OFFSET %s"
        )

        def page(offset: int) -> Callable[[], list[tuple[Any, ...]]]:
            def run() -> list[tuple[Any, ...]]:
                _rows(count_sql, [])
                return _rows(first_sql, [PAGE, offset])

            return run

        def ids(rows: list[tuple[Any, ...]]) -> list[int]:
            return [row[0] for row in rows]

        self.ratio(
            "catalogue page /san-pham/",
            lambda: self.anonymous.get("/san-pham/"),
            page(0),
            _page_ids,
            ids,
            target=(2, 10),
        )
        self.ratio(
            "catalogue page /san-pham/?q=gom su",
            lambda: self.anonymous.get("/san-pham/", {"q": "gom su"}),
            lambda: search_limits.limit("gom su", PAGE),
            _page_ids,
            list,
            target=(2, 10),
        )
        published = _rows(count_sql, [])[0][0]
        deep = max(0, min(80_000, published * 4 // 5))
        after_name, after_id = _rows(
            "SELECT folded_name, id FROM catalogue_product WHERE status = 'published' "
            "ORDER BY folded_name, id LIMIT 1 OFFSET %s",
            [deep],
        )[0]
        from ocophub.catalogue import cursors
        from ocophub.catalogue.selectors import Filters

        cursor = cursors.make(Filters(sort="name"), [after_name, after_id])
        keyset_sql = (
            "SELECT p.id, p.name, p.slug, p.list_price, p.unit, r.id, r.name FROM catalogue_product p "
            "JOIN catalogue_producer r ON r.id = p.producer_id WHERE p.status = 'published' "
            "AND (p.folded_name, p.id) > (%s, %s) ORDER BY p.folded_name, p.id LIMIT %s"
        )

        def keyset() -> list[tuple[Any, ...]]:
            _rows(count_sql, [])
            return _rows(keyset_sql, [after_name, after_id, PAGE])

        self.ratio(
            f"products API, deep page by cursor (row {deep})",
            lambda: self.anonymous.get("/api/v1/products", {"sort": "name", "cursor": cursor, "limit": PAGE}),
            keyset,
            _api_ids,
            ids,
        )
        stars_sql = (
            "SELECT p.id FROM catalogue_product p WHERE p.status = 'published' "
            "ORDER BY COALESCE(p.current_stars, 0) DESC, p.folded_name, p.id LIMIT %s"
        )

        def stars() -> list[tuple[Any, ...]]:
            _rows(count_sql, [])
            return _rows(stars_sql, [PAGE])

        self.ratio(
            "products API sort=stars",
            lambda: self.anonymous.get("/api/v1/products", {"sort": "stars", "limit": PAGE}),
            stars,
            _api_ids,
            ids,
        )
        pk, slug = _rows(
            "SELECT p.id, p.slug FROM catalogue_product p WHERE p.status = 'published' "
            "AND EXISTS (SELECT 1 FROM inventory_stock s WHERE s.product_id = p.id AND s.on_hand > 0) "
            "ORDER BY p.id LIMIT 1 OFFSET %s",
            [max(0, published // 3)],
        )[0]
        product_sql = (
            "SELECT p.id, p.name, p.slug, p.description, p.list_price, p.unit, r.id, r.name, r.slug "
            "FROM catalogue_product p JOIN catalogue_producer r ON r.id = p.producer_id WHERE p.{} = %s"
        )
        self.ratio(
            "product page /san-pham/<slug>/",
            lambda: self.anonymous.get(f"/san-pham/{slug}/"),
            lambda: _rows(product_sql.format("slug"), [slug]),
            lambda r: [_ok(r).context["product"].pk],
            ids,
        )
        self.ratio(
            "product API /api/v1/products/{id}",
            lambda: self.anonymous.get(f"/api/v1/products/{pk}"),
            lambda: _rows(product_sql.format("id"), [pk]),
            lambda r: [_ok(r).json()["id"]],
            ids,
        )
        self.product = (pk, slug)

    # --- plan and sales reports ----------------------------------------------------------------------

    def plan_dashboard(self) -> None:
        from ocophub.centers.models import COUNTED_STATUSES
        from ocophub.programme.models import Plan

        plan = Plan.objects.get(code="276-KH-UBND")
        unit_ids = list(plan.units.values_list("pk", flat=True))
        marks = ", ".join(["%s"] * len(unit_ids))
        status_sql = (
            "SELECT c.id, (SELECT e.to_state FROM centers_centerevent e WHERE e.center_id = c.id "  # noqa: S608
            "AND e.effective_on <= %s ORDER BY e.effective_on DESC, e.at DESC, e.id DESC LIMIT 1) AS status "
            "FROM centers_center c JOIN places_administrativeunit u ON u.id = c.commune_id "
            f"WHERE u.parent_id IN ({marks}) OR u.id IN ({marks})"  # noqa: S608 — placeholders only
        )
        day = self.today

        def raw() -> list[tuple[Any, ...]]:
            return _rows(status_sql, [day, *unit_ids, *unit_ids])

        def counted_raw(rows: list[tuple[Any, ...]]) -> list[int]:
            return [sum(1 for _pk, status in rows if status in COUNTED_STATUSES)]

        def counted_page(response: Any) -> list[int]:
            progress = _ok(response).context["progress"]
            return [sum(unit.counted for unit in progress.units)]

        self.ratio(
            "plan dashboard /ke-hoach/",
            lambda: self.admin.get("/ke-hoach/", {"plan": plan.code}),
            raw,
            counted_page,
            counted_raw,
        )

    def monthly_sales(self) -> None:
        from ocophub.sales.reports_monthly import fixed_offset_minutes, month_key
        from ocophub.sales.selectors import local_range

        end = self.today.replace(day=1) - dt.timedelta(days=1)
        start = (end.replace(day=1) - dt.timedelta(days=700)).replace(day=1)
        since, until = local_range(start, end)
        if connection.vendor == "postgresql":
            month = "to_char({} AT TIME ZONE %s, 'YYYY-MM')"
            month_param: Any = timezone.get_current_timezone_name()
        else:
            month = "strftime('%%Y-%%m', {}, %s)"
            month_param = f"{fixed_offset_minutes(since, until):+d} minutes"
        sales_sql = (
            f"SELECT u.parent_id, {month.format('s.created_at')} AS m, SUM(l.amount), SUM(l.quantity) "  # noqa: S608 — our own SQL
            "FROM sales_saleline l JOIN sales_sale s ON s.id = l.sale_id "
            "JOIN centers_center c ON c.id = s.center_id "
            "JOIN places_administrativeunit u ON u.id = c.commune_id "
            "WHERE s.created_at >= %s AND s.created_at < %s GROUP BY u.parent_id, m"
        )
        returns_sql = (
            f"SELECT u.parent_id, {month.format('r.created_at')} AS m, SUM(rl.amount), SUM(rl.quantity) "  # noqa: S608 — our own SQL
            "FROM sales_returnline rl JOIN sales_return r ON r.id = rl.ret_id "
            "JOIN sales_saleline l ON l.id = rl.sale_line_id JOIN sales_sale s ON s.id = l.sale_id "
            "JOIN centers_center c ON c.id = s.center_id "
            "JOIN places_administrativeunit u ON u.id = c.commune_id "
            "WHERE r.created_at >= %s AND r.created_at < %s GROUP BY u.parent_id, m"
        )

        def raw() -> list[tuple[Any, ...]]:
            found: dict[tuple[Any, str], list[int]] = {}
            for unit, m, amount, units in _rows(sales_sql, [month_param, since, until]):
                found[(unit, m)] = [int(amount), int(units), 0]
            for unit, m, amount, _units in _rows(returns_sql, [month_param, since, until]):
                found.setdefault((unit, m), [0, 0, 0])[2] = int(amount)
            return sorted((unit or 0, m, *values) for (unit, m), values in found.items())

        def page_rows(response: Any) -> list[tuple[Any, ...]]:
            report = _ok(response).context["report"]
            return sorted(
                (unit.key or 0, key, cell.gross, cell.units, cell.returns)
                for unit in report.units
                for key, cell in unit.months.items()
            )

        figure = self.ratio(
            f"monthly sales by unit {month_key(start)}…{month_key(end)}",
            lambda: self.admin.get(
                "/bao-cao-ban-hang/theo-don-vi/", {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
            ),
            raw,
            page_rows,
            list,
            target=(1.5, 0),
        )
        figure.extra["sale_lines"] = _rows(
            "SELECT COUNT(*) FROM sales_saleline l JOIN sales_sale s ON s.id = l.sale_id "
            "WHERE s.created_at >= %s AND s.created_at < %s",
            [since, until],
        )[0][0]

    # --- writes --------------------------------------------------------------------------------------

    def writes(self) -> None:
        from ocophub.accounts.models import User
        from ocophub.centers.models import Center
        from ocophub.inventory import services as inventory
        from ocophub.inventory.models import Stock
        from ocophub.sales import services
        from ocophub.sales.models import Shift

        center = Center.objects.get(name=FLAGSHIP)
        cashier_user = User.objects.get(email=CASHIER)
        stock = (
            Stock.objects.filter(
                center=center, product__list_price__isnull=False, lot__expires_on__isnull=True
            )
            .select_related("product")
            .order_by("-on_hand", "pk")
            .first()
        )
        assert stock is not None, "the demo stock of the flagship center is missing"
        product = stock.product
        need = 4 * self.repeat + 10
        if stock.available < need:
            inventory.stock_receive(actor=None, center=center, product=product, quantity=need)
        if not Shift.objects.filter(center=center, opened_by=cashier_user, closed_at__isnull=True).exists():
            services.shift_open(actor=cashier_user, center=center, opening_float=0)
        cashier = Client()
        cashier.force_login(cashier_user)

        def sale() -> Any:
            body = {
                "center_id": center.pk,
                "client_uuid": str(uuid.uuid4()),
                "lines": [{"product_id": product.pk, "quantity": 1}],
                "method": "card",
            }
            response = cashier.post("/api/v1/sales", json.dumps(body), content_type="application/json")
            if response.status_code != 201 and response.status_code != 200:
                raise AssertionError(
                    f"POST /api/v1/sales answered {response.status_code}: {response.content[:300]!r}"
                )
            return response

        guest = Client()

        def order() -> Any:
            body = {
                "center_id": center.pk,
                "lines": [{"product_id": product.pk, "quantity": 1}],
                "name": "Khách thử tải",
                "email": f"bench-{uuid.uuid4().hex[:12]}@example.vn",
                "phone": "0912345678",
            }
            response = guest.post("/api/v1/orders", json.dumps(body), content_type="application/json")
            if response.status_code not in (200, 201):
                raise AssertionError(
                    f"POST /api/v1/orders answered {response.status_code}: {response.content[:300]!r}"
                )
            return response

        for name, call in (
            ("counter sale POST /api/v1/sales", sale),
            ("online order POST /api/v1/orders", order),
        ):
            with CaptureQueriesContext(connection) as queries:
                call()
            # now (the next request clears the log that `queries` reads); every statement the request
            # runs — session, permission checks, the write — but BEGIN/COMMIT, which query nothing
            count = sum(1 for query in queries if not TRANSACTION_CONTROL.match(query["sql"]))
            load = load_average()
            took = alone(call, max(3, self.repeat // 2))
            figure = Figure(name, "queries", app_ms=took * 1000, value=count, unit="queries", load=load)
            figure.target = "≤ 12 queries"
            figure.passed = count <= 12
            self.figures.append(figure)
            print(f"  {name}", flush=True)

    def run(self) -> list[Figure]:
        self.searches()
        self.catalogue()
        self.plan_dashboard()
        self.monthly_sales()
        self.writes()
        return self.figures

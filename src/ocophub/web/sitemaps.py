"""/sitemap.xml: the public pages search engines may list — published products, their producers, craft
villages, public centers, the designs of the portfolio, the published events and the site's own pages.

The product sitemap is paged by Django (LIMIT rows a file, 50 000 by default) and reads only the slug and
the change time of each row, so 100 000 products never sit in memory as model instances; the index asks
the database for the latest change instead of looping over the rows.
"""

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse

from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.design.selectors_portfolio import portfolio_requests
from ocophub.events.models import Event, EventState
from ocophub.places.models import CraftVillage
from ocophub.tours.models import Tour, TourState


class _RowsSitemap(Sitemap):
    """Rows given as {"slug", "updated_at"} dicts, in a stable order, linked through one URL name."""

    url_name = ""

    def rows(self) -> QuerySet[Any]:
        raise NotImplementedError

    def items(self) -> QuerySet[Any]:
        return self.rows().order_by("pk").values("slug", "updated_at")

    def location(self, item: dict[str, Any]) -> str:
        return reverse(self.url_name, args=[item["slug"]])

    def lastmod(self, item: dict[str, Any]) -> datetime:
        return item["updated_at"]

    def get_latest_lastmod(self) -> datetime | None:
        latest: datetime | None = self.rows().aggregate(latest=Max("updated_at"))["latest"]
        return latest


class ProductSitemap(_RowsSitemap):
    url_name = "catalogue:product"
    changefreq = "weekly"

    def rows(self) -> QuerySet[Any]:
        return Product.objects.filter(status=ProductStatus.PUBLISHED)


class ProducerSitemap(_RowsSitemap):
    url_name = "catalogue:producer"
    changefreq = "monthly"

    def rows(self) -> QuerySet[Any]:
        published = Product.objects.filter(producer=OuterRef("pk"), status=ProductStatus.PUBLISHED)
        return Producer.objects.filter(Exists(published))


class VillageSitemap(_RowsSitemap):
    url_name = "catalogue:village"
    changefreq = "monthly"

    def rows(self) -> QuerySet[Any]:
        return CraftVillage.objects.all()


class CenterSitemap(_RowsSitemap):
    url_name = "centers:detail"
    changefreq = "weekly"

    def rows(self) -> QuerySet[Any]:
        return Center.objects.filter(status__in=list(PUBLIC_STATUSES))


class EventSitemap(_RowsSitemap):
    """Published events at the public centers (a cancelled event's page is not for search engines)."""

    url_name = "events:event"
    changefreq = "daily"

    def rows(self) -> QuerySet[Any]:
        return Event.objects.filter(state=EventState.PUBLISHED, center__status__in=list(PUBLIC_STATUSES))


class TourSitemap(_RowsSitemap):
    """Published tours of active operators."""

    url_name = "tours:tour"
    changefreq = "daily"

    def rows(self) -> QuerySet[Any]:
        return Tour.objects.filter(state=TourState.PUBLISHED, operator__is_active=True)


class DesignSitemap(Sitemap):
    """The designs of the portfolio, by their number."""

    changefreq = "monthly"

    def items(self) -> QuerySet[Any]:
        return portfolio_requests().order_by("pk").values("pk", "updated_at")

    def location(self, item: dict[str, Any]) -> str:
        return reverse("design:portfolio_entry", args=[item["pk"]])

    def lastmod(self, item: dict[str, Any]) -> datetime:
        return item["updated_at"]

    def get_latest_lastmod(self) -> datetime | None:
        latest: datetime | None = portfolio_requests().aggregate(latest=Max("updated_at"))["latest"]
        return latest


class PageSitemap(Sitemap):
    """The site's own pages: home, the catalogue, the lists and the design portfolio."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "web:home",
            "catalogue:search",
            "catalogue:producers",
            "catalogue:villages",
            "centers:list",
            "design:portfolio",
            "events:calendar",
            "tours:list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "trang": PageSitemap,
    "san-pham": ProductSitemap,
    "chu-the": ProducerSitemap,
    "lang-nghe": VillageSitemap,
    "trung-tam": CenterSitemap,
    "thiet-ke": DesignSitemap,
    "su-kien": EventSitemap,
    "tour": TourSitemap,
}

# What crawlers may not enter: the work pages, accounts, the counter, stock and the API.
ROBOTS_DISALLOW = ["/quan-tri/", "/lam-viec/", "/tai-khoan/", "/quay/", "/kho/", "/api/"]

from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from . import views, views_media
from .sitemaps import SITEMAPS

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "web:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
if settings.MEDIA_URL.startswith("/"):
    # MEDIA_URL on another host (an object store, a CDN): the files are not ours to serve
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:name>", views_media.media, name="media"))

from django.conf import settings
from django.urls import path

from . import views, views_media

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
if settings.MEDIA_URL.startswith("/"):
    # MEDIA_URL on another host (an object store, a CDN): the files are not ours to serve
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:name>", views_media.media, name="media"))

"""The project's routes plus the product import pages, until the project mounts them itself."""

from django.urls import include, path

from ocophub.urls import handler404, handler500
from ocophub.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

mounted = any(getattr(pattern, "namespace", None) == "catalogue_import" for pattern in project_urlpatterns)
# first, so that a catalogue route such as "san-pham/<slug>/" cannot shadow it
urlpatterns = [] if mounted else [path("san-pham/nhap-excel/", include("ocophub.catalogue.import_urls"))]
urlpatterns += project_urlpatterns

"""The project's routes plus one page that fails, to see the server-error page as visitors get it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ocophub.urls import handler400, handler403, handler404, handler500
from ocophub.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that fails")


urlpatterns = [path("loi-may-chu/", fails), *project_urlpatterns]

"""The site shell: home page and error pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ocophub.places import selectors as places


def home(request: HttpRequest) -> HttpResponse:
    villages = places.villages()
    return render(request, "web/home.html", {"villages": villages})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)

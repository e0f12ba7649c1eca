"""Pages: pos."""

from django.urls import path  # noqa: F401

app_name = "pos"

urlpatterns: list = []

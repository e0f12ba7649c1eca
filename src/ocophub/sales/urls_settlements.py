"""Pages: settlements."""

from django.urls import path  # noqa: F401

app_name = "settlements"

urlpatterns: list = []

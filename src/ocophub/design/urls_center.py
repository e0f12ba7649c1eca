"""A center's design requests, under /lam-viec/trung-tam/<slug>/thiet-ke/."""

from django.urls import path  # noqa: F401

app_name = "design_center"

urlpatterns: list = []

"""A producer's design requests, in its workspace under /lam-viec/chu-the/<slug>/thiet-ke/."""

from django.urls import path  # noqa: F401

app_name = "design_producer"

urlpatterns: list = []

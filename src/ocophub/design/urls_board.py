"""The studio board under /lam-viec/xuong-thiet-ke/."""

from django.urls import path  # noqa: F401

app_name = "design_board"

urlpatterns: list = []

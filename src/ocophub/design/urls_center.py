"""A center's design requests, under /lam-viec/trung-tam/<slug>/thiet-ke/."""

from django.urls import path

from . import views_center

app_name = "design_center"

urlpatterns = [
    path("<slug:slug>/thiet-ke/", views_center.center_list, name="list"),
]

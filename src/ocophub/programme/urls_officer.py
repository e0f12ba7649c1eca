"""The funding pages of unit officers and the city, under /lam-viec/don-vi/."""

from django.urls import path

from . import views_officer as views

app_name = "programme_officer"
urlpatterns = [
    path("nguon-von/", views.funding, name="funding"),
    path("nguon-von/cam-ket/", views.commitment_create, name="commitment_create"),
    path(
        "nguon-von/cam-ket/<int:commitment_id>/giai-ngan/",
        views.disbursement_create,
        name="disbursement_create",
    ),
]

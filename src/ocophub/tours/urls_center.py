"""The tours' pages in a center's work area, under /lam-viec/trung-tam/<slug>/khach-tour/: scanning
tour tickets, the visits report and its export, the commission rates."""

from django.urls import path

from . import views_visits

app_name = "tours_center"

urlpatterns = [
    path("<slug:slug>/khach-tour/", views_visits.center_visits, name="visits"),
    path("<slug:slug>/khach-tour/soat-ve/", views_visits.scan, name="scan"),
    path("<slug:slug>/khach-tour/khach-tour.xlsx", views_visits.center_visits_export, name="visits_export"),
    path("<slug:slug>/khach-tour/hoa-hong/", views_visits.commission_rates, name="rates"),
]

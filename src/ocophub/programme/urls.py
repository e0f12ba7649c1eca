from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("don-vi/", views.units, name="units"),
    path("don-vi/<int:unit_id>/", views.unit_dashboard, name="unit"),
    path("xuat/tien-do.xlsx", views.export_progress, name="export_progress"),
    path("xuat/nguon-von.xlsx", views.export_funding, name="export_funding"),
]

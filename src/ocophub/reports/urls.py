from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("excel/", views.audit_excel, name="excel"),
    path("trung-tam/<slug:slug>/", views.center_audit, name="center"),
    path("trung-tam/<slug:slug>/excel/", views.center_audit_excel, name="center_excel"),
    path("chu-the/<slug:slug>/", views.producer_audit, name="producer"),
    path("chu-the/<slug:slug>/excel/", views.producer_audit_excel, name="producer_excel"),
]

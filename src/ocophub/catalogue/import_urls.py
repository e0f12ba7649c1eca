"""Excel import and export of product lists; mounted at /san-pham/nhap-excel/."""

from django.urls import path

from . import import_views

app_name = "catalogue_import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("xac-nhan/<str:token>/", import_views.confirm, name="confirm"),
    path("xuat.xlsx", import_views.export, name="export"),
    path("tien-do/<str:job>/", import_views.progress, name="progress"),
]

"""The unit officers' pages of producers and certificates, under /lam-viec/don-vi/."""

from django.urls import path

from . import views_officer as views

app_name = "catalogue_officer"
urlpatterns = [
    path("chu-the/", views.producers, name="producers"),
    path("chu-the/tao/", views.producer_create, name="producer_create"),
    path("chu-the/xa-phuong/", views.commune_choices, name="communes"),
    path("chu-the/lang-nghe/", views.village_choices, name="villages"),
    path("chu-the/<int:producer_id>/", views.producer_detail, name="producer"),
    path("chu-the/<int:producer_id>/sua/", views.producer_edit, name="producer_edit"),
    path("chu-the/<int:producer_id>/chung-nhan/", views.certificate_create, name="certificate_create"),
    path("chung-nhan/", views.certificates, name="certificates"),
    path("chung-nhan/<int:certificate_id>/thu-hoi/", views.certificate_revoke, name="certificate_revoke"),
]

"""A producer's design requests, in its workspace under /lam-viec/chu-the/<slug>/thiet-ke/."""

from django.urls import path

from . import views_producer

app_name = "design_producer"

urlpatterns = [
    path("<slug:slug>/thiet-ke/", views_producer.request_list, name="list"),
    path("<slug:slug>/thiet-ke/moi/", views_producer.request_new, name="new"),
    path("<slug:slug>/thiet-ke/moi/nguon-kinh-phi/", views_producer.commitment_options, name="commitments"),
]

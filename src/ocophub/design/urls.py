"""Pages of the design studio, under /thiet-ke/."""

from django.urls import path

from . import views

app_name = "design"

urlpatterns = [
    path("yeu-cau/<int:pk>/", views.request_detail, name="request"),
]

from django.urls import path

from . import views

app_name = "centers"
urlpatterns = [
    path("", views.center_list, name="list"),
    path("<slug:slug>/", views.center_detail, name="detail"),
]

from django.urls import path

from . import views_review

app_name = "catalogue_review"
urlpatterns = [
    path("", views_review.queue, name="queue"),
    path("<int:pk>/", views_review.detail, name="detail"),
]

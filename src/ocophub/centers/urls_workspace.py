"""The center's workspace for its manager: who works there."""

from django.urls import path

from . import views_staff

app_name = "center_ws"
urlpatterns = [
    path("<slug:slug>/nhan-vien/", views_staff.staff, name="staff"),
    path("<slug:slug>/nhan-vien/cap-quyen/", views_staff.staff_grant, name="staff_grant"),
    path("<slug:slug>/nhan-vien/<int:grant_id>/thu-hoi/", views_staff.staff_revoke, name="staff_revoke"),
]

"""Work pages of centers, under /lam-viec/trung-tam/."""

from django.urls import path

from . import views_work

app_name = "centers_work"
urlpatterns = [
    path("", views_work.center_list, name="list"),
    path("moi/", views_work.center_create, name="create"),
    path("xa-phuong/", views_work.commune_choices, name="communes"),
    path("<slug:slug>/", views_work.center_manage, name="manage"),
    path("<slug:slug>/sua/", views_work.center_edit, name="edit"),
    path("<slug:slug>/trang-thai/", views_work.center_transition, name="transition"),
    path("<slug:slug>/gio-mo-cua/", views_work.center_hours, name="hours"),
    path("<slug:slug>/anh/", views_work.center_photo, name="photo"),
    path("<slug:slug>/cham-diem/", views_work.score_sheet, name="score_sheet"),
]

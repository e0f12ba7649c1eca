"""The work pages of tours under /lam-viec/tour/: the Department of Tourism's operators, an operator's
tours, itineraries, departures and bookings, and the guide's check-in."""

from django.urls import path

from . import views_visits, views_work, views_work_departures, views_work_operators
from . import views_work_photos as photos
from . import views_work_stops as stops

app_name = "tours_work"

urlpatterns = [
    path("", views_work.home, name="home"),
    path("don-vi/", views_work_operators.operator_list, name="operators"),
    path("don-vi/moi/", views_work_operators.operator_edit, name="operator_create"),
    path("don-vi/<int:pk>/", views_work_operators.operator_edit, name="operator_edit"),
    path("don-vi/<int:pk>/thanh-vien/", views_work_operators.member_grant, name="member_grant"),
    path("<int:operator>/", views_work.tour_list, name="tours"),
    path("<int:operator>/moi/", views_work.tour_create, name="tour_create"),
    path("<int:operator>/<int:pk>/", views_work.tour_edit, name="tour"),
    path("<int:operator>/<int:pk>/cong-bo/", views_work.tour_publish, name="publish"),
    path("<int:operator>/<int:pk>/luu-tru/", views_work.tour_archive, name="archive"),
    path("<int:operator>/<int:pk>/diem-dung/", stops.stop_add, name="stop_add"),
    path("<int:operator>/<int:pk>/diem-dung/<int:stop>/xoa/", stops.stop_remove, name="stop_remove"),
    path("<int:operator>/<int:pk>/diem-dung/<int:stop>/chuyen/", stops.stop_move, name="stop_move"),
    path("<int:operator>/<int:pk>/tim-dia-diem/", stops.place_choices, name="place_choices"),
    path("<int:operator>/<int:pk>/anh/", photos.photo_add, name="photo_add"),
    path("<int:operator>/<int:pk>/anh/<int:photo>/", photos.photo_edit, name="photo_edit"),
    path("<int:operator>/<int:pk>/anh/<int:photo>/chuyen/", photos.photo_move, name="photo_move"),
    path("<int:operator>/<int:pk>/anh/<int:photo>/xoa/", photos.photo_remove, name="photo_remove"),
    path("<int:operator>/<int:pk>/de-xuat-thu-tu/", stops.stops_plan, name="plan"),
    path("<int:operator>/<int:pk>/chuyen-moi/", views_work_departures.departure_add, name="departure_add"),
    path(
        "<int:operator>/<int:pk>/chuyen-lap-lai/",
        views_work_departures.departures_recurring,
        name="departures_recurring",
    ),
    path("<int:operator>/chuyen/<int:pk>/", views_work_departures.departure_bookings, name="departure"),
    path(
        "<int:operator>/chuyen/<int:pk>/huy/", views_work_departures.departure_cancel, name="departure_cancel"
    ),
    path(
        "<int:operator>/chuyen/<int:pk>/hoan-thanh/",
        views_work_departures.departure_complete,
        name="departure_complete",
    ),
    path(
        "<int:operator>/chuyen/<int:pk>/danh-sach-khach.xlsx",
        views_work_departures.departure_export,
        name="departure_export",
    ),
    path(
        "<int:operator>/dat-cho/<int:pk>/xac-nhan/",
        views_work_departures.booking_confirm,
        name="booking_confirm",
    ),
    path(
        "<int:operator>/dat-cho/<int:pk>/thanh-toan/", views_work_departures.booking_pay, name="booking_pay"
    ),
    path("<int:operator>/dat-cho/<int:pk>/huy/", views_work_departures.booking_cancel, name="booking_cancel"),
    path("<int:operator>/soat-ve/", views_work_departures.check_in, name="check_in"),
    path("<int:operator>/khach-tai-trung-tam/", views_visits.operator_visits, name="visits"),
    path(
        "<int:operator>/khach-tai-trung-tam/hoa-hong.xlsx",
        views_visits.operator_visits_export,
        name="visits_export",
    ),
]

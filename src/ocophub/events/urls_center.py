"""A center's events for its staff, under /lam-viec/trung-tam/<slug>/su-kien/, and its door's
check-in under /lam-viec/trung-tam/<slug>/soat-ve/."""

from django.urls import path

from . import views_center, views_center_sessions, views_checkin

app_name = "events_center"

urlpatterns = [
    path("<slug:slug>/su-kien/", views_center.event_list, name="list"),
    path("<slug:slug>/su-kien/moi/", views_center.event_create, name="create"),
    path("<slug:slug>/su-kien/tim-san-pham/", views_center.product_choices, name="product_choices"),
    path("<slug:slug>/su-kien/tim-chu-the/", views_center.producer_choices, name="producer_choices"),
    path("<slug:slug>/su-kien/<int:pk>/", views_center.event_edit, name="event"),
    path("<slug:slug>/su-kien/<int:pk>/cong-bo/", views_center.event_publish, name="publish"),
    path("<slug:slug>/su-kien/<int:pk>/huy/", views_center.event_cancel, name="cancel"),
    path("<slug:slug>/su-kien/<int:pk>/anh/", views_center.event_photo, name="photo"),
    path("<slug:slug>/su-kien/<int:pk>/buoi-moi/", views_center_sessions.session_add, name="session_add"),
    path(
        "<slug:slug>/su-kien/<int:pk>/buoi-lap-lai/",
        views_center_sessions.sessions_recurring,
        name="sessions_recurring",
    ),
    path("<slug:slug>/buoi/<int:pk>/", views_center_sessions.session_registrations, name="session"),
    path("<slug:slug>/buoi/<int:pk>/sua/", views_center_sessions.session_edit, name="session_edit"),
    path("<slug:slug>/buoi/<int:pk>/huy/", views_center_sessions.session_cancel, name="session_cancel"),
    path(
        "<slug:slug>/buoi/<int:pk>/nhan-tin/", views_center_sessions.session_message, name="session_message"
    ),
    path(
        "<slug:slug>/buoi/<int:pk>/nguoi-tham-du.xlsx",
        views_center_sessions.session_export,
        name="session_export",
    ),
    path(
        "<slug:slug>/dang-ky/<int:pk>/thanh-toan/",
        views_center_sessions.registration_pay,
        name="registration_pay",
    ),
    path(
        "<slug:slug>/dang-ky/<int:pk>/huy/",
        views_center_sessions.registration_cancel,
        name="registration_cancel",
    ),
    path("<slug:slug>/soat-ve/", views_checkin.check_in, name="check_in"),
]

"""The public pages of events (/su-kien/): the calendar, an event, registering, the ticket, the feeds."""

from django.urls import path

from . import views_public as views
from . import views_ticket

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("lich-thang/", views.month, name="month"),
    path("trung-tam/<slug:slug>.ics", views_ticket.center_feed, name="center_feed"),
    path("ve/<str:code>/", views_ticket.ticket, name="ticket"),
    path("ve/<str:code>/lich.ics", views_ticket.ticket_ics, name="ticket_ics"),
    path("ve/<str:code>/huy/", views_ticket.ticket_cancel, name="ticket_cancel"),
    path("ve/<str:code>/nhan-cho/", views_ticket.offer_accept, name="offer_accept"),
    path("<slug:slug>/", views.event_page, name="event"),
    path("<slug:slug>/dang-ky/<int:session_id>/", views.register, name="register"),
]

"""The public tour pages (/tour/): the list, a tour, booking, the e-ticket and its calendar file."""

from django.urls import path

from . import views_public as views

app_name = "tours"

urlpatterns = [
    path("", views.tour_list, name="list"),
    path("ve/<str:code>/", views.ticket, name="ticket"),
    path("ve/<str:code>/lich.ics", views.ticket_ics, name="ticket_ics"),
    path("ve/<str:code>/huy/", views.ticket_cancel, name="ticket_cancel"),
    path("ve/<str:code>/nhan-cho/", views.offer_accept, name="offer_accept"),
    path("<slug:slug>/", views.tour_page, name="tour"),
    path("<slug:slug>/dat/<int:departure_id>/", views.book, name="book"),
]

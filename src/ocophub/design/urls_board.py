"""The studio board under /lam-viec/xuong-thiet-ke/."""

from django.urls import path

from . import views_board

app_name = "design_board"

urlpatterns = [
    path("", views_board.board, name="board"),
    path("excel/", views_board.export, name="export"),
]

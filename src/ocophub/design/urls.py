"""Pages of the design studio under /thiet-ke/: one request's page and its moves, its files, and the
public portfolio."""

from django.urls import path

from . import views, views_portfolio

app_name = "design"

urlpatterns = [
    path("yeu-cau/<int:pk>/", views.request_detail, name="request"),
    # the producer's moves on a request (views_producer.py)
    # the center's moves on a request and the files (views_center.py, views_files.py)
    # the public portfolio (views_portfolio.py)
    path("", views_portfolio.portfolio, name="portfolio"),
    path("mau/<int:pk>/", views_portfolio.portfolio_entry, name="portfolio_entry"),
    path("mau/<int:pk>/anh/<str:side>/<str:size>/", views_portfolio.portfolio_image, name="portfolio_image"),
    path(
        "hien-hanh/<int:pk>/anh/<str:size>/",
        views_portfolio.product_design_image,
        name="product_design_image",
    ),
]

"""Pages of the design studio under /thiet-ke/: one request's page and its moves, its files, and the
public portfolio."""

from django.urls import path

from . import views, views_producer

app_name = "design"

urlpatterns = [
    path("yeu-cau/<int:pk>/", views.request_detail, name="request"),
    # the producer's moves on a request (views_producer.py)
    path("yeu-cau/cua-toi/", views_producer.mine, name="mine"),
    path("yeu-cau/<int:pk>/duyet/", views_producer.approve, name="approve"),
    path("yeu-cau/<int:pk>/yeu-cau-sua/", views_producer.changes, name="changes"),
    path("yeu-cau/<int:pk>/rut-lai/", views_producer.cancel, name="cancel"),
    path("yeu-cau/<int:pk>/trung-bay/", views_producer.portfolio, name="portfolio"),
    path("yeu-cau/<int:pk>/dung-cho-san-pham/", views_producer.product_design, name="product_design"),
    path("yeu-cau/<int:pk>/binh-luan/", views_producer.comment, name="comment"),
    # the center's moves on a request and the files (views_center.py, views_files.py)
    # the public portfolio (views_portfolio.py)
]

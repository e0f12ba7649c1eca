"""Pages of the design studio under /thiet-ke/: one request's page and its moves, its files, and the
public portfolio."""

from django.urls import path

from . import views, views_center, views_files, views_portfolio, views_producer

app_name = "design"

urlpatterns = [
    path("yeu-cau/<int:pk>/", views.request_detail, name="request"),
    # the producer's moves on a request (views_producer.py)
    path("yeu-cau/cua-toi/", views_producer.mine, name="mine"),
    path("yeu-cau/<int:pk>/duyet/", views_producer.approve, name="approve"),
    path("yeu-cau/<int:pk>/yeu-cau-sua/", views_producer.changes, name="changes"),
    path("yeu-cau/<int:pk>/rut-lai/", views_producer.cancel, name="cancel"),
    path("yeu-cau/<int:pk>/trung-bay/", views_producer.portfolio, name="portfolio_consent"),
    path("yeu-cau/<int:pk>/dung-cho-san-pham/", views_producer.product_design, name="product_design"),
    path("yeu-cau/<int:pk>/binh-luan/", views_producer.comment, name="comment"),
    # the center's moves on a request and the files (views_center.py, views_files.py)
    path("yeu-cau/<int:pk>/nhan/", views_center.request_accept, name="accept"),
    path("yeu-cau/<int:pk>/tu-choi/", views_center.request_decline, name="decline"),
    path("yeu-cau/<int:pk>/bat-dau/", views_center.request_start, name="start"),
    path("yeu-cau/<int:pk>/gui-phuong-an/", views_center.version_send, name="version_send"),
    path("yeu-cau/<int:pk>/ban-giao/", views_center.request_deliver, name="deliver"),
    path("yeu-cau/<int:pk>/dong/", views_center.request_close, name="close"),
    path("yeu-cau/<int:pk>/giao-lai/", views_center.request_reassign, name="reassign"),
    path("tep/<int:pk>/", views_files.file_download, name="file"),
    path("tep/<int:pk>/xem-truoc/", views_files.file_preview, name="file_preview"),
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

from django.urls import path

from . import views, views_index

app_name = "catalogue"
urlpatterns = [
    path("san-pham/", views.product_search, name="search"),
    path("san-pham/goi-y/", views.suggest, name="suggest"),
    path("san-pham/chung-nhan-sap-het-han/", views.certificates_expiring, name="expiring"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("chu-the/", views_index.producer_index, name="producers"),
    path("lang-nghe/", views_index.village_index, name="villages"),
    path("chu-the/<slug:slug>/", views.producer_detail, name="producer"),
    path("chu-the/<slug:slug>/nhan-qr/", views.label_sheet, name="labels"),
    path("lang-nghe/<slug:slug>/", views.village_detail, name="village"),
    path("truy-xuat/<slug:slug>/", views.trace, name="trace"),
    path("truy-xuat/<slug:slug>/qr.svg", views.qr_svg, name="qr_svg"),
    path("truy-xuat/<slug:slug>/qr.png", views.qr_png, name="qr_png"),
]

"""The producer workspace's pages, mounted at /lam-viec/chu-the/."""

from django.urls import path

from . import views_workspace as views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace_home, name="home"),
    path("<slug:slug>/", views.producer_home, name="producer"),
    path("<slug:slug>/ho-so/", views.profile, name="profile"),
    path("<slug:slug>/ho-so/anh/", views.producer_photo_add, name="producer_photo_add"),
    path(
        "<slug:slug>/ho-so/anh/<int:photo_id>/xoa/", views.producer_photo_remove, name="producer_photo_remove"
    ),
    path("<slug:slug>/san-pham/", views.products, name="products"),
    path("<slug:slug>/san-pham/tao/", views.product_create, name="product_create"),
    path("<slug:slug>/san-pham/<int:product_id>/", views.product_edit, name="product"),
    path("<slug:slug>/san-pham/<int:product_id>/anh/", views.product_photo_add, name="product_photo_add"),
    path(
        "<slug:slug>/san-pham/<int:product_id>/anh/<int:photo_id>/xoa/",
        views.product_photo_remove,
        name="product_photo_remove",
    ),
    path(
        "<slug:slug>/san-pham/<int:product_id>/trang-thai/",
        views.product_transition,
        name="product_transition",
    ),
    path("<slug:slug>/chung-nhan/", views.certificates, name="certificates"),
]

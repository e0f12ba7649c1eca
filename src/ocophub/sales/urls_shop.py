"""Pages: the online shop (basket, checkout, order pages) and the centers' order desk."""

from django.urls import path

from .views import shop

app_name = "shop"

urlpatterns = [
    path("gio-hang/", shop.basket_page, name="basket"),
    path("gio-hang/them/", shop.add, name="add"),
    path("thanh-toan/<slug:slug>/", shop.checkout, name="checkout"),
    path("don-hang/<uuid:token>/", shop.order_page, name="order"),
    path("don-hang/<uuid:token>/huy/", shop.order_cancel, name="order_cancel"),
    path("don-cua-toi/", shop.my_orders, name="my_orders"),
    path("quan-ly/<slug:slug>/", shop.center_orders, name="center_orders"),
    path("quan-ly/<slug:slug>/<str:number>/", shop.center_order, name="center_order"),
    path("quan-ly/<slug:slug>/<str:number>/xu-ly/", shop.center_order_act, name="center_order_act"),
]

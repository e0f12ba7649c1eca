"""Pages: the counter (POS) of a center, for its staff."""

from django.urls import path

from .views import pos, pos_receipts

app_name = "pos"

urlpatterns = [
    path("", pos.home, name="home"),
    path("<slug:center_slug>/", pos.till, name="till"),
    path("<slug:center_slug>/mo-ca/", pos.shift_open, name="shift_open"),
    path("<slug:center_slug>/tim-kiem/", pos.product_search, name="search"),
    path("<slug:center_slug>/gio-hang/", pos.basket, name="basket"),
    path("<slug:center_slug>/thanh-toan/", pos.pay, name="pay"),
    path("<slug:center_slug>/hoa-don/<str:number>/", pos_receipts.receipt, name="receipt"),
    path("<slug:center_slug>/hoa-don/<str:number>/tra-hang/", pos_receipts.sale_return, name="return"),
    path("<slug:center_slug>/hoa-don/<str:number>/hoan-tien/", pos_receipts.sale_refund, name="refund"),
    path(
        "<slug:center_slug>/hoa-don/<str:number>/duyet-hoan-tien/",
        pos_receipts.refund_approve,
        name="refund_approve",
    ),
    path("<slug:center_slug>/ca/<int:shift_id>/", pos_receipts.shift_detail, name="shift"),
    path("<slug:center_slug>/ca/<int:shift_id>/dong/", pos_receipts.shift_close, name="shift_close"),
]

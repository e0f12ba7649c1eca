"""Work pages under /lam-viec/: a producer's sales to date, the bank accounts of centers and producers."""

from django.urls import path

from .views import work

app_name = "sales_work"

urlpatterns = [
    path("chu-the/<slug:slug>/ban-hang/", work.producer_sales, name="producer_sales"),
    path(
        "chu-the/<slug:slug>/tai-khoan-ngan-hang/", work.producer_bank_account, name="producer_bank_account"
    ),
    path("trung-tam/<slug:slug>/tai-khoan-ngan-hang/", work.center_bank_account, name="center_bank_account"),
]

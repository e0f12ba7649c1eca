"""Pages: stock, the movement ledger and consignment agreements of a center; a producer's goods."""

from django.urls import path

from . import views, views_agreements

app_name = "inventory"

urlpatterns = [
    path("", views.home, name="home"),
    path("chu-the/<slug:slug>/", views_agreements.producer_goods, name="producer"),
    path("<slug:slug>/", views.center_stock, name="center"),
    path("<slug:slug>/nhap-hang/", views.receive, name="receive"),
    path("<slug:slug>/nhap-hang/san-pham/", views.receive_products, name="receive_products"),
    path("<slug:slug>/ton/<int:stock_id>/dieu-chinh/", views.adjust, name="adjust"),
    path("<slug:slug>/ton/<int:stock_id>/chuyen-kho/", views.transfer, name="transfer"),
    path("<slug:slug>/ton/<int:stock_id>/tra-chu-the/", views.return_to_producer, name="return"),
    path("<slug:slug>/so-kho/", views.ledger, name="ledger"),
    path("<slug:slug>/hop-dong/", views_agreements.agreements, name="agreements"),
    path("<slug:slug>/hop-dong/tao/", views_agreements.agreement_create, name="agreement_create"),
    path("<slug:slug>/hop-dong/chu-the/", views_agreements.agreement_producers, name="agreement_producers"),
    path(
        "<slug:slug>/hop-dong/<int:agreement_id>/ket-thuc/",
        views_agreements.agreement_end,
        name="agreement_end",
    ),
]

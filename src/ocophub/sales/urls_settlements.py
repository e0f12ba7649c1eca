"""Pages: settlements (/quyet-toan/) and the sales reports (/bao-cao-ban-hang/)."""

from django.urls import path

from .views import reports, settlements

app_name = "settlements"

urlpatterns = [
    path("quyet-toan/", settlements.settlement_list, name="list"),
    path("quyet-toan/moi/", settlements.settlement_create, name="create"),
    path("quyet-toan/<int:pk>/", settlements.settlement_detail, name="detail"),
    path("quyet-toan/<int:pk>/chap-nhan/", settlements.settlement_accept, name="accept"),
    path("quyet-toan/<int:pk>/khieu-nai/", settlements.settlement_dispute, name="dispute"),
    path("quyet-toan/<int:pk>/tra-loi/", settlements.settlement_answer, name="answer"),
    path("quyet-toan/<int:pk>/huy/", settlements.settlement_cancel, name="cancel"),
    path("quyet-toan/<int:pk>/chi-tra/", settlements.settlement_pay, name="pay"),
    path("quyet-toan/<int:pk>/bang-ke.xlsx", settlements.settlement_xlsx, name="xlsx"),
    path("bao-cao-ban-hang/", reports.sales_reports, name="reports"),
    path("bao-cao-ban-hang/xuat.xlsx", reports.sales_reports_xlsx, name="reports_xlsx"),
    path("bao-cao-ban-hang/theo-don-vi/", reports.monthly_report, name="monthly"),
    path("bao-cao-ban-hang/theo-don-vi/xuat.xlsx", reports.monthly_report_xlsx, name="monthly_xlsx"),
]

"""Mounts every app's pages, the admin and the API."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ocophub.api import api

handler404 = "ocophub.web.views.not_found"
handler500 = "ocophub.web.views.server_error"
handler403 = "ocophub.web.views.permission_denied"
handler400 = "ocophub.web.views.bad_request"

# The API first: Django tries the patterns in order, and every API request (the busiest, the health
# check among them) would otherwise be matched against each page's patterns before its own.
urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("ocophub.web.urls")),
    path("san-pham/nhap-excel/", include("ocophub.catalogue.import_urls")),
    path("", include("ocophub.catalogue.urls")),
    path("lam-viec/chu-the/", include("ocophub.catalogue.workspace_urls")),
    path("tai-khoan/", include("ocophub.accounts.urls")),
    path("lam-viec/duyet-san-pham/", include("ocophub.catalogue.urls_review")),
    path("trung-tam/", include("ocophub.centers.urls")),
    path("lam-viec/trung-tam/", include("ocophub.centers.urls_workspace")),
    path("lam-viec/trung-tam/", include("ocophub.centers.urls_work")),
    path("ke-hoach/", include("ocophub.programme.urls")),
    path("kho/", include("ocophub.inventory.urls")),
    path("lam-viec/don-vi/", include("ocophub.catalogue.urls_officer")),
    path("lam-viec/don-vi/", include("ocophub.programme.urls_officer")),
    path("quay/", include("ocophub.sales.urls_pos")),
    path("cua-hang/", include("ocophub.sales.urls_shop")),
    path("", include("ocophub.sales.urls_settlements")),
    path("lam-viec/tour/", include("ocophub.tours.urls_work")),
    path("lam-viec/", include("ocophub.sales.urls_work")),
    path("thiet-ke/", include("ocophub.design.urls")),
    path("lam-viec/chu-the/", include("ocophub.design.urls_producer")),
    path("lam-viec/trung-tam/", include("ocophub.design.urls_center")),
    path("lam-viec/trung-tam/", include("ocophub.events.urls_center")),
    path("lam-viec/trung-tam/", include("ocophub.tours.urls_center")),
    path("lam-viec/xuong-thiet-ke/", include("ocophub.design.urls_board")),
    path("lam-viec/nhat-ky/", include("ocophub.reports.urls")),
    path("su-kien/", include("ocophub.events.urls")),
    path("tour/", include("ocophub.tours.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("quan-tri/", admin.site.urls),
]

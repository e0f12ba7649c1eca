from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-ky/", views.signup, name="signup"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/nhap-ma/", views.password_reset_code, name="password_reset_code"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("khoa-api/", views.token_create, name="token_create"),
    path("khoa-api/<int:token_id>/thu-hoi/", views.token_revoke, name="token_revoke"),
]

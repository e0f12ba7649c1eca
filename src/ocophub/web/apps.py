from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    default = True
    name = "ocophub.web"
    label = "web"
    verbose_name = _("Website")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with OCOP Hub's admin site as the default one."""

    default = False
    default_site = "ocophub.web.admin_site.AdminSite"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ocophub.common"
    label = "common"
    verbose_name = "Common"

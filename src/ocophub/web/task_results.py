"""django-tasks' database backend as an installed app, under a Vietnamese name in the admin."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskResultsConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # django-tasks-db: verbose_name inferred as str there; AppConfig allows a lazy one

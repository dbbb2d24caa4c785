from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "newsdesk.desk"
    label = "desk"
    verbose_name = "News desk"
    default_auto_field = "django.db.models.BigAutoField"

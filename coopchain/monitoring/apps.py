from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "coopchain.monitoring"
    verbose_name = _("Provincial monitoring")

    def ready(self) -> None:
        from coopchain.monitoring import tenancy  # noqa: F401 - registers the scoping rules
        from coopchain.monitoring.signals import connect

        connect()  # kept indicators are dropped when what they count changes

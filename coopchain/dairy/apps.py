from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DairyConfig(AppConfig):
    name = "coopchain.dairy"
    verbose_name = _("Milk collection")

    def ready(self) -> None:
        from coopchain.dairy import tenancy  # noqa: F401 - registers the scoping rules

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "coopchain.contracts"
    verbose_name = _("Linkage contracts and member payments")

    def ready(self) -> None:
        from coopchain.contracts import tenancy  # noqa: F401 - registers the scoping rules

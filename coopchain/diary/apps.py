from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "coopchain.diary"
    verbose_name = _("Farm diary")

    def ready(self) -> None:
        from coopchain.diary import tenancy  # noqa: F401 - registers the scoping rules

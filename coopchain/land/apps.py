from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "coopchain.land"
    verbose_name = _("Land")

    def ready(self) -> None:
        from coopchain.land import tenancy  # noqa: F401 - registers the scoping rules

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "coopchain.trace"
    verbose_name = _("Traceability")

    def ready(self) -> None:
        # Registers the custody rules for lots, events and recalls with the tenancy helper,
        # so every `scope(...)` of a trace model applies them whoever imports what first.
        from coopchain.trace import selectors  # noqa: F401

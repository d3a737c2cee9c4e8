from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "coopchain.compliance"
    label = "compliance"
    verbose_name = _("Certification and export compliance")

    def ready(self) -> None:
        from coopchain.compliance import tenancy  # noqa: F401 - registers the scoping rules
        from coopchain.compliance.public_claims import lot_card, public_claims
        from coopchain.trace.panels import register_lot_panel
        from coopchain.trace.public import register_claims_provider

        register_claims_provider(public_claims)
        register_lot_panel(lot_card)

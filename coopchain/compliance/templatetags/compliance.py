"""`{% load compliance %}{% lot_compliance_card lot %}`: the lot's claims and export
readiness, for any lot page to place."""

from typing import Any

from django import template

from coopchain.compliance.claims import lot_claims
from coopchain.compliance.readiness import lot_readiness
from coopchain.trace.models import Lot

register = template.Library()


@register.inclusion_tag("compliance/_lot_card.html")
def lot_compliance_card(lot: Lot) -> dict[str, Any]:
    return {"lot": lot, "claims": lot_claims(lot), "readiness": lot_readiness(lot)}

"""What trace's pages show of compliance (registered with trace at start-up): the claims on
the public trace page, and the claims and readiness card on a lot's page."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from coopchain.compliance.claims import lot_claims
from coopchain.compliance.origins import origins_of
from coopchain.compliance.templatetags.compliance import lot_compliance_card
from coopchain.trace.models import Lot
from coopchain.trace.public import PublicClaims


def public_claims(lot: Lot) -> PublicClaims:
    origins = origins_of(lot)
    reasons = sorted(
        {
            message
            for origin in origins.origins
            if origin.eligibility is not None and not origin.eligibility.eligible
            for message in origin.eligibility.reason_messages
        }
    )
    not_eligible = []
    if reasons:
        not_eligible.append(
            _(
                "The farm diary of this lot's harvests shows: %(reasons)s. It cannot carry certified claims."
            )
            % {"reasons": "; ".join(reasons)}
        )
    return PublicClaims(
        holding=[claim.label for claim in lot_claims(lot, origins) if claim.holds],
        not_eligible_because=not_eligible,
    )


def lot_card(request: HttpRequest, lot: Lot) -> SafeString:
    return render_to_string("compliance/_lot_card.html", lot_compliance_card(lot), request=request)

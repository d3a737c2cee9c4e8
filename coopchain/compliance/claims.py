"""A lot's certified claims, computed from its origins, never typed.

A lot may claim a standard when every one of its harvest lots comes from plots that a valid
certificate of that standard covers on the harvest date (its scope names the plots, and the
crop when it names crops). One uncovered origin — a plot outside the scope, a harvest before
or after validity, a suspended or withdrawn certificate — and the lot loses the claim, as
does a lot with a harvest the farm diary marked not eligible (PHI, banned product).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from coopchain.compliance.models import Certificate, CertificatePlot, Standard
from coopchain.compliance.origins import Origin, Origins, origins_of
from coopchain.trace.models import Lot

# Production standards: their certificates name plots, and a lot claims them.
CLAIM_STANDARDS = (
    Standard.ORGANIC_EU,
    Standard.ORGANIC_USDA,
    Standard.ORGANIC_VN,
    Standard.GLOBALGAP,
    Standard.VIETGAP,
    Standard.RAINFOREST,
    Standard.FOUR_C,
)


@dataclass
class Claim:
    standard: str
    holds: bool
    certificates: list[Certificate] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Standard(self.standard).label)


def _covers(certificate: Certificate, origin: Origin, plot_ids: set[int]) -> bool:
    day = origin.harvested_on
    if day is None or not certificate.valid_on(day):
        return False
    if not {p.pk for p in origin.plots} <= plot_ids:
        return False
    crops = {c.pk for c in certificate.crops.all()}
    return not crops or (origin.crop is not None and origin.crop.pk in crops)


def _why_not(certificates: list[Certificate], origin: Origin, plot_ids: dict[int, set[int]]) -> str:
    label = origin.label
    if not origin.plots:
        return _("harvest lot %(lot)s names no plot") % {"lot": label}
    if origin.harvested_on is None:
        return _("harvest lot %(lot)s has no harvest date") % {"lot": label}
    outside = [
        p.code for p in origin.plots if not any(p.pk in plot_ids[c.pk] for c in certificates)
    ]
    if outside:
        return _("plot %(plots)s (harvest lot %(lot)s) is outside every certificate's scope") % {
            "plots": ", ".join(outside),
            "lot": label,
        }
    day = origin.harvested_on.isoformat()
    return _("no certificate covering harvest lot %(lot)s was valid on %(day)s for its crop") % {
        "lot": label,
        "day": day,
    }


def lot_claims(lot: Lot, origins: Origins | None = None) -> list[Claim]:
    """Every standard some certificate offers this lot, each with whether it holds and, when
    it does not, why; claims that hold come first."""
    origins = origins or origins_of(lot)
    plot_ids = [p.pk for p in origins.plots]
    if not plot_ids:
        return []
    certificates = list(
        Certificate.objects.filter(standard__in=CLAIM_STANDARDS, plot_links__plot_id__in=plot_ids)
        .distinct()
        .prefetch_related(
            "crops",
            Prefetch(
                "plot_links", queryset=CertificatePlot.objects.only("plot_id", "certificate_id")
            ),
        )
    )
    scope = {c.pk: {link.plot_id for link in c.plot_links.all()} for c in certificates}
    by_standard: dict[str, list[Certificate]] = defaultdict(list)
    for certificate in certificates:
        by_standard[certificate.standard].append(certificate)
    ineligible = [
        o for o in origins.origins if o.eligibility is not None and not o.eligibility.eligible
    ]
    claims = []
    for standard in CLAIM_STANDARDS:
        offered = by_standard.get(standard)
        if not offered:
            continue
        reasons = []
        used: dict[int, Certificate] = {}
        for origin in origins.origins:
            covering = [c for c in offered if _covers(c, origin, scope[c.pk])]
            if covering:
                used.update((c.pk, c) for c in covering)
            else:
                reasons.append(_why_not(offered, origin, scope))
        for origin in ineligible:
            reasons.append(
                _("harvest lot %(lot)s is not eligible for certified claims: %(why)s")
                % {"lot": origin.label, "why": "; ".join(origin.eligibility.reason_messages)}
            )
        claims.append(
            Claim(
                standard=standard,
                holds=not reasons,
                certificates=list(used.values()),
                reasons=reasons,
            )
        )
    return sorted(claims, key=lambda c: not c.holds)


def holding_claims(lot: Lot, origins: Origins | None = None) -> list[Claim]:
    return [c for c in lot_claims(lot, origins) if c.holds]

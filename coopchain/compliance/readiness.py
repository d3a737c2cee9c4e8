"""Export readiness: for a lot and a destination market, each requirement of markets.py met
or not with the reason, and the verdict (ready when every requirement that applies is met)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from coopchain.compliance import markets
from coopchain.compliance.claims import Claim, lot_claims
from coopchain.compliance.due_diligence import DueDiligence, check_lot, lot_hs_code
from coopchain.compliance.models import Certificate, Standard
from coopchain.compliance.origins import Origins, origins_of
from coopchain.lib import eudr
from coopchain.parties.models import Facility
from coopchain.trace import genealogy
from coopchain.trace.identifiers import facilities_for_locations
from coopchain.trace.models import Event, EventObject, Lot

MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"


@dataclass
class Result:
    requirement: markets.Requirement
    status: str
    reason: str

    @property
    def met(self) -> bool:
        return self.status != NOT_MET


@dataclass
class Readiness:
    lot: Lot
    market: str
    hs_code: str
    results: list[Result] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(r.met for r in self.results)

    @property
    def market_label(self) -> str:
        return str(markets.MARKETS[self.market])

    @property
    def unmet(self) -> list[Result]:
        return [r for r in self.results if r.status == NOT_MET]


class _Facts:
    """What the rules read, each computed once for all markets."""

    def __init__(self, lot: Lot) -> None:
        self.lot = lot
        self.origins: Origins = origins_of(lot)
        self.hs_code = eudr.hs_digits(lot_hs_code(lot, self.origins))
        self._claims: list[Claim] | None = None
        self._due_diligence: DueDiligence | None = None
        self._facilities: list[Facility] | None = None

    @property
    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = lot_claims(self.lot, self.origins)
        return self._claims

    @property
    def due_diligence(self) -> DueDiligence:
        if self._due_diligence is None:
            self._due_diligence = check_lot(self.lot)
        return self._due_diligence

    @property
    def facilities(self) -> list[Facility]:
        if self._facilities is None:
            self._facilities = chain_facilities(self.lot)
        return self._facilities


def chain_facilities(lot: Lot) -> list[Facility]:
    """The platform's facilities where events on the lot's backward chain took place."""
    walk = genealogy.backward(lot.pk)
    named = EventObject.objects.filter(lot_id__in=list(walk.lots)).values("event_id")
    locations: set[str] = set()
    events = Event.objects.filter(Q(pk__in=named) | Q(pk__in=list(walk.events)))
    for biz, read in events.values_list("biz_location", "read_point"):
        locations.update(u for u in (biz, read) if u)
    found = facilities_for_locations(locations)
    return list({f.pk: f for f in found.values()}.values())


def _traceable(facts: _Facts) -> tuple[str, str]:
    if not facts.origins.origins:
        return NOT_MET, _("the trace reaches no harvest lot")
    missing = facts.origins.without_plot
    if missing:
        return NOT_MET, _("harvest lot(s) %(lots)s name no plot") % {
            "lots": ", ".join(o.label for o in missing)
        }
    return MET, _("%(lots)d harvest lot(s) from %(plots)d plot(s)") % {
        "lots": len(facts.origins.origins),
        "plots": len(facts.origins.plots),
    }


def _no_residue_findings(facts: _Facts) -> tuple[str, str]:
    flagged = [
        o for o in facts.origins.origins if o.eligibility is not None and not o.eligibility.eligible
    ]
    if flagged:
        return NOT_MET, "; ".join(
            _("harvest lot %(lot)s: %(why)s")
            % {"lot": o.label, "why": "; ".join(o.eligibility.reason_messages)}
            for o in flagged
        )
    unknown = [o for o in facts.origins.origins if o.eligibility is None]
    if unknown:
        return NOT_MET, _("harvest lot(s) %(lots)s have no farm diary to check") % {
            "lots": ", ".join(o.label for o in unknown)
        }
    return MET, _("the farm diaries show no finding")


def _eudr(facts: _Facts) -> tuple[str, str]:
    heading = eudr.annex_heading(facts.hs_code)
    if heading is None:
        return NOT_APPLICABLE, _("HS %(code)s is not an EUDR commodity") % {
            "code": facts.hs_code or "—"
        }
    result = facts.due_diligence
    if result.ready:
        return MET, _("all %(count)d plot(s) pass") % {"count": len(result.plots)}
    failed = result.failed_plots
    if failed:
        return NOT_MET, _("%(count)d plot(s) fail: %(plots)s") % {
            "count": len(failed),
            "plots": ", ".join(p.key for p in failed[:10]),
        }
    return NOT_MET, "; ".join(e.reason for e in result.field_errors()[:3])


def _claim_any(facts: _Facts, standards: tuple[str, ...]) -> tuple[str, str]:
    held = [c for c in facts.claims if c.holds and c.standard in standards]
    names = ", ".join(str(Standard(s).label) for s in standards)
    if held:
        return MET, ", ".join(c.label for c in held)
    return NOT_MET, _("the lot may claim none of: %(names)s") % {"names": names}


def _planting_area_code(facts: _Facts) -> tuple[str, str]:
    plots = facts.origins.plots
    if not plots:
        return NOT_MET, _("no plot of origin")
    missing = [p.code for p in plots if not p.planting_area_code]
    revoked_codes = set(
        Certificate.objects.filter(
            standard=Standard.PLANTING_AREA,
            status=Certificate.Status.WITHDRAWN,
            plot_links__plot__in=plots,
        ).values_list("number", flat=True)
    )
    revoked = [p.code for p in plots if p.planting_area_code in revoked_codes]
    if missing or revoked:
        parts = []
        if missing:
            parts.append(_("no code on plot(s) %(plots)s") % {"plots": ", ".join(missing)})
        if revoked:
            parts.append(_("code revoked on plot(s) %(plots)s") % {"plots": ", ".join(revoked)})
        return NOT_MET, "; ".join(parts)
    codes = sorted({p.planting_area_code for p in plots})
    return MET, ", ".join(codes)


def _packing_house_code(facts: _Facts) -> tuple[str, str]:
    coded = [f for f in facts.facilities if f.packing_house_code]
    if coded:
        return MET, ", ".join(f"{f.name} ({f.packing_house_code})" for f in coded)
    return NOT_MET, _("no facility with a packing-house code handled the lot")


def _check(requirement: markets.Requirement, facts: _Facts) -> Result:
    if not requirement.applies(facts.hs_code):
        return Result(
            requirement,
            NOT_APPLICABLE,
            _("does not apply to HS %(code)s") % {"code": facts.hs_code or "—"},
        )
    rule = requirement.rule
    if rule == markets.TRACEABLE:
        status, reason = _traceable(facts)
    elif rule == markets.NO_RESIDUE_FINDINGS:
        status, reason = _no_residue_findings(facts)
    elif rule == markets.EUDR:
        status, reason = _eudr(facts)
    elif rule == markets.CLAIM_ANY:
        status, reason = _claim_any(facts, requirement.param("standards", ()))
    elif rule == markets.PLANTING_AREA_CODE:
        status, reason = _planting_area_code(facts)
    elif rule == markets.PACKING_HOUSE_CODE:
        status, reason = _packing_house_code(facts)
    else:
        raise ValueError(f"unknown rule {rule}")
    return Result(requirement, status, reason)


def lot_readiness(lot: Lot, markets_wanted: list[str] | None = None) -> list[Readiness]:
    """The lot's readiness for each market (all of them unless named)."""
    facts = _Facts(lot)
    wanted = markets_wanted or list(markets.MARKETS)
    return [
        Readiness(
            lot=lot,
            market=market,
            hs_code=facts.hs_code,
            results=[_check(r, facts) for r in markets.requirements_for(market)],
        )
        for market in wanted
    ]

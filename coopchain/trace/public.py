"""What the public sees of a published lot: the trace summary behind its QR code.

No member's name or phone appears unless that household agreed (Member.public_consent);
places are given as commune and province, never as a plot or a household's address, and
the map marks the province, not the farm.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopchain.parties.models import AdminUnit, Organization
from coopchain.trace.identifiers import facilities_for_locations, public_uri
from coopchain.trace.mass_balance import transformation_findings
from coopchain.trace.models import Event, Lot, Recall
from coopchain.trace.selectors import LotTrace, trace_lots

# Cold-chain ranges by product commodity (°C): raw milk is kept at 2-6 °C (QCVN
# 01-186:2017/BNNPTNT); other products report their readings without a range.
COLD_CHAIN_RANGES = {"raw_milk": (2.0, 6.0), "pasteurised_milk": (2.0, 6.0)}

# Approximate centres of the 34 provinces (latitude, longitude, one decimal: about 10 km),
# enough to mark a province on a small map of Viet Nam without any map data.
PROVINCE_CENTRES = {
    "01": (21.0, 105.8),
    "04": (22.7, 106.2),
    "08": (22.3, 105.1),
    "11": (21.6, 103.0),
    "12": (22.3, 103.3),
    "14": (21.2, 104.0),
    "15": (22.0, 104.3),
    "19": (21.9, 105.9),
    "20": (21.8, 106.6),
    "22": (21.2, 107.3),
    "24": (21.3, 106.3),
    "25": (21.1, 105.3),
    "31": (20.9, 106.5),
    "33": (20.6, 106.2),
    "37": (20.3, 106.0),
    "38": (20.0, 105.5),
    "40": (19.2, 104.9),
    "42": (18.3, 105.7),
    "44": (17.2, 106.5),
    "46": (16.4, 107.5),
    "48": (15.6, 108.0),
    "51": (14.8, 108.2),
    "52": (14.0, 108.3),
    "56": (12.1, 109.0),
    "66": (12.9, 108.4),
    "68": (11.6, 107.8),
    "75": (11.3, 107.0),
    "79": (10.8, 106.7),
    "80": (11.0, 106.1),
    "82": (10.4, 105.9),
    "86": (10.0, 106.2),
    "91": (10.3, 105.1),
    "92": (9.8, 105.8),
    "96": (9.2, 105.2),
}
MAP_WIDTH, MAP_HEIGHT = 160, 300
_LON, _LAT = (102.0, 110.0), (8.2, 23.6)


def _xy(latitude: float, longitude: float) -> tuple[int, int]:
    x = (longitude - _LON[0]) / (_LON[1] - _LON[0]) * (MAP_WIDTH - 20) + 10
    y = (_LAT[1] - latitude) / (_LAT[1] - _LAT[0]) * (MAP_HEIGHT - 20) + 10
    return round(x), round(y)


STEP_NAMES = {
    "commissioning": gettext_lazy("Harvested or made"),
    "receiving": gettext_lazy("Received"),
    "shipping": gettext_lazy("Shipped"),
    "packing": gettext_lazy("Packed"),
    "unpacking": gettext_lazy("Unpacked"),
    "storing": gettext_lazy("Stored"),
    "inspecting": gettext_lazy("Inspected"),
    "transforming": gettext_lazy("Processed"),
    "creating_class_instance": gettext_lazy("Made"),
    "loading": gettext_lazy("Loaded"),
    "departing": gettext_lazy("Departed"),
    "arriving": gettext_lazy("Arrived"),
    "accepting": gettext_lazy("Accepted"),
    "retail_selling": gettext_lazy("Sold"),
}


def step_name(event: Event) -> str:
    if event.event_type == Event.Type.TRANSFORMATION:
        return _("Processed")
    if event.event_type == Event.Type.AGGREGATION:
        return _("Packed") if event.action != "DELETE" else _("Unpacked")
    if event.biz_step == "commissioning" and event.event_type == Event.Type.OBJECT:
        return _("Harvested or made")
    return str(STEP_NAMES.get(event.biz_step, event.biz_step.replace("_", " ") or _("Recorded")))


@dataclass
class Step:
    """One step, or several alike (eight households' harvests at one collection point) as
    one line, so a lot made of hundreds of deliveries still reads on a phone."""

    when: datetime
    name: str
    place: str
    organization: str
    event_ids: list[str]
    until: datetime | None = None

    @property
    def count(self) -> int:
        return len(self.event_ids)


def group_steps(steps: list[Step]) -> list[Step]:
    """Steps of the same kind, place and organization merged into the first of them."""
    grouped: dict[tuple[str, str, str], Step] = {}
    for step in steps:
        key = (step.name, step.place, step.organization)
        first = grouped.get(key)
        if first is None:
            grouped[key] = step
        else:
            first.event_ids += step.event_ids
            first.until = max(first.until or first.when, step.when)
    return list(grouped.values())


@dataclass
class ColdChain:
    readings: int
    minimum: float
    maximum: float
    low: float | None = None
    high: float | None = None
    minutes_out_of_range: int = 0


@dataclass(frozen=True)
class PublicClaims:
    """What an app that judges claims says of a lot: the certifications it may carry (valid at
    harvest for all its origins), and why it may carry none, in words for the public."""

    holding: list[str]
    not_eligible_because: list[str]


# Apps above the ledger (compliance) judge claims; they register here, so trace imports none.
_claims_providers: list[Callable[[Lot], PublicClaims]] = []


def register_claims_provider(provider: Callable[[Lot], PublicClaims]) -> None:
    if provider not in _claims_providers:
        _claims_providers.append(provider)


@dataclass
class PublicTrace:
    lot: Lot
    uri: str
    product: str
    cooperatives: list[Organization]
    places: list[str]
    provinces: list[AdminUnit]
    harvest_from: date | None
    harvest_to: date | None
    members_named: list[dict[str, str]]
    members_total: int
    steps: list[Step]
    cold_chain: ColdChain | None
    recalls: list[Recall]
    claims_eligible: bool
    claims_notice: str
    certifications: list[Any] = field(default_factory=list)
    map_dots: list[tuple[int, int]] = field(default_factory=list)
    map_marks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recalled(self) -> bool:
        return self.lot.status == Lot.Status.RECALLED

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.uri,
            "lot": self.lot.lot_number or self.lot.epc,
            "product": self.product,
            "status": self.lot.status,
            "recalled": self.recalled,
            "recalls": [
                {"startedAt": r.started_at.isoformat(), "reason": r.reason} for r in self.recalls
            ],
            "cooperatives": [o.name for o in self.cooperatives],
            "origin": self.places,
            "harvestPeriod": {
                "from": self.harvest_from.isoformat() if self.harvest_from else None,
                "to": self.harvest_to.isoformat() if self.harvest_to else None,
            },
            "members": {"total": self.members_total, "named": self.members_named},
            "certifications": self.certifications,
            "steps": [
                {
                    "time": s.when.isoformat(),
                    "until": s.until.isoformat() if s.until else None,
                    "step": s.name,
                    "place": s.place,
                    "organization": s.organization,
                    "eventIDs": s.event_ids,
                }
                for s in self.steps
            ],
            "coldChain": (
                None
                if self.cold_chain is None
                else {
                    "readings": self.cold_chain.readings,
                    "minCelsius": self.cold_chain.minimum,
                    "maxCelsius": self.cold_chain.maximum,
                    "range": (
                        [self.cold_chain.low, self.cold_chain.high]
                        if self.cold_chain.low is not None
                        else None
                    ),
                    "minutesOutOfRange": self.cold_chain.minutes_out_of_range,
                }
            ),
            "eligibleForCertifiedClaims": self.claims_eligible,
        }


def published_lot(*, epc: str) -> Lot | None:
    return (
        Lot.objects.filter(epc=epc, published=True)
        .select_related("product", "organization")
        .first()
    )


def _temperatures(events: list[Event]) -> list[tuple[datetime | None, float]]:
    readings = []
    for event in events:
        for element in event.document.get("sensorElementList", []) or []:
            if not isinstance(element, dict):
                continue
            for report in element.get("sensorReport", []) or []:
                if not isinstance(report, dict):
                    continue
                kind = str(report.get("type", ""))
                if not kind.endswith("Temperature") or "value" not in report:
                    continue
                try:
                    value = float(report["value"])
                except (TypeError, ValueError):
                    continue
                if report.get("uom") == "FAH":
                    value = (value - 32) * 5 / 9
                when = report.get("time") or event.document.get("eventTime")
                try:
                    moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
                except ValueError:
                    moment = None
                readings.append((moment, value))
    return readings


def cold_chain(events: list[Event], commodity: str) -> ColdChain | None:
    """Temperatures from EPCIS sensor reports: min, max, and minutes out of the product's
    range (each reading counts until the next one)."""
    readings = _temperatures(events)
    if not readings:
        return None
    values = [value for _when, value in readings]
    summary = ColdChain(len(values), round(min(values), 1), round(max(values), 1))
    limits = COLD_CHAIN_RANGES.get(commodity)
    if limits is None:
        return summary
    summary.low, summary.high = limits
    timed = sorted((w, v) for w, v in readings if w is not None)
    out = 0.0
    for (when, value), (next_when, _next) in zip(timed, timed[1:], strict=False):
        if not limits[0] <= value <= limits[1]:
            out += (next_when - when).total_seconds() / 60
    summary.minutes_out_of_range = round(out)
    return summary


def _place(event: Event, facilities: dict[str, Any]) -> str:
    facility = facilities.get(event.biz_location) or facilities.get(event.read_point)
    if facility is not None:
        parts = [facility.name]
        if facility.ward_id:
            parts.append(str(facility.ward))
        return ", ".join(parts)
    organization = event.organization
    if organization.ward_id:
        return f"{organization.name}, {organization.ward}"
    return organization.name


def public_trace(lot: Lot) -> PublicTrace:
    """The public summary of a published lot (the caller checked it is published)."""
    trace: LotTrace = trace_lots([lot], "backward", public=True)
    harvests = trace.harvest_lots
    cooperatives: dict[int, Organization] = {}
    wards: dict[str, AdminUnit] = {}
    provinces: dict[str, AdminUnit] = {}
    members: dict[int, Any] = {}
    for harvest in harvests:
        organization = harvest.organization
        if organization.is_cooperative:
            cooperatives.setdefault(organization.pk, organization)
        member = harvest.harvested_by
        ward = (member.ward if member and member.ward_id else None) or organization.ward
        if ward is not None:
            wards.setdefault(ward.code, ward)
            provinces.setdefault(ward.province_id, ward.province)
        elif organization.province_id:
            provinces.setdefault(organization.province_id, organization.province)
        if member is not None:
            members[member.pk] = member
    starts = [h.harvest_started_on for h in harvests if h.harvest_started_on]
    ends = [h.harvest_ended_on or h.harvest_started_on for h in harvests if h.harvest_started_on]
    facilities = facilities_for_locations(
        {e.biz_location for e in trace.events} | {e.read_point for e in trace.events}
    )
    steps = group_steps(
        [
            Step(
                when=timezone.localtime(event.event_time),
                name=step_name(event),
                place=_place(event, facilities),
                organization=event.organization.name,
                event_ids=[event.event_id],
            )
            for event in trace.events
            if not event.is_error_declaration and event.declared_erroneous_by_id is None
        ]
    )
    findings = transformation_findings(
        e for e in trace.events if e.event_type == Event.Type.TRANSFORMATION
    )
    notices = []
    if findings:
        notices.append(
            _(
                "The recorded volumes behind this lot do not add up at one or more steps, so "
                "it cannot carry certified claims until the records are corrected."
            )
        )
    certifications: list[dict[str, str]] = []
    for provider in _claims_providers:
        claims = provider(lot)
        certifications.extend({"name": name} for name in claims.holding)
        notices.extend(claims.not_eligible_because)
    marks = []
    for code, province in provinces.items():
        if code in PROVINCE_CENTRES:
            x, y = _xy(*PROVINCE_CENTRES[code])
            marks.append({"x": x, "y": y, "name": province.name})
    commodity = lot.product.commodity if lot.product else ""
    return PublicTrace(
        lot=lot,
        uri=public_uri(lot) or lot.epc,
        product=lot.product.name if lot.product else "",
        cooperatives=list(cooperatives.values()),
        places=[str(ward) for ward in wards.values()] or [p.name for p in provinces.values()],
        provinces=list(provinces.values()),
        harvest_from=min(starts) if starts else None,
        harvest_to=max(ends) if ends else None,
        members_named=[
            {"name": m.head_of_household, "phone": m.phone}
            for m in members.values()
            if m.public_consent
        ],
        members_total=len(members),
        steps=steps,
        cold_chain=cold_chain(trace.events, commodity),
        recalls=list(lot.recalls.order_by("-started_at")),
        claims_eligible=not notices,
        claims_notice=" ".join(notices),
        certifications=certifications,
        map_dots=[_xy(*centre) for centre in PROVINCE_CENTRES.values()],
        map_marks=marks,
    )


def linkset(lot: Lot, summary: PublicTrace) -> dict[str, Any]:
    """RFC 9264 linkset for a lot's Digital Link, with GS1 link types."""
    anchor = summary.uri
    page = {"href": anchor, "title": summary.product or str(lot), "type": "text/html"}
    voc = "https://gs1.org/voc/"
    return {
        "linkset": [
            {
                "anchor": anchor,
                f"{voc}defaultLink": [page],
                f"{voc}pip": [{**page, "hreflang": ["vi", "en"]}],
                f"{voc}traceability": [
                    {
                        "href": f"{anchor}?linkType=gs1:traceability",
                        "title": _("Trace summary"),
                        "type": "application/json",
                    }
                ],
            }
        ],
        "trace": summary.as_json(),
    }

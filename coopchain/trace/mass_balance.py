"""Mass balance: does the volume coming out of each step fit what went in?

Two checks, each giving findings with their reasons (nothing is stored; every page computes
them from the ledger, so a correction shows at once):

- per transformation (one TransformationEvent, or the steps sharing a transformationID):
  for each output product, the quantity made must not exceed the inputs times the yield
  from each input product to it, times (1 + tolerance). Mislabelled or adulterated volume
  shows up here: 1,000 kg of cherry cannot honestly become 400 kg of green coffee.
- per lot and per organization that held it: what it consumed (transformation inputs) and
  shipped must not exceed what it produced or received, times (1 + LOT_TOLERANCE).

Yields come from the organization's own measured `YieldFactor` for the product pair, else
1 for a product into itself, else the reference table below by the products' commodity.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopchain.parties.models import Organization
from coopchain.trace.models import Event, EventObject, Lot, Product, YieldFactor

# Consumed + shipped may exceed produced + received by this share before it is a finding:
# scales at collection points and factories disagree by about this much.
LOT_TOLERANCE = Decimal("0.02")
SAME_PRODUCT = (Decimal(1), Decimal("0.02"))


@dataclass(frozen=True)
class ReferenceYield:
    input_commodity: str
    output_commodity: str
    factor: Decimal
    tolerance: Decimal
    source: str


# Commodity codes a product can carry (Product.commodity): what the reference yields key on.
COMMODITIES = (
    ("coffee_cherry", gettext_lazy("Coffee cherry (fresh)")),
    ("dried_coffee_cherry", gettext_lazy("Coffee cherry (dried)")),
    ("green_coffee", gettext_lazy("Green coffee")),
    ("roasted_coffee", gettext_lazy("Roasted coffee")),
    ("raw_milk", gettext_lazy("Raw milk")),
    ("pasteurised_milk", gettext_lazy("Pasteurised milk")),
    ("fresh_cinnamon_bark", gettext_lazy("Cinnamon bark (fresh)")),
    ("dried_cinnamon_bark", gettext_lazy("Cinnamon bark (dried)")),
    ("paddy_rice", gettext_lazy("Paddy rice")),
    ("milled_rice", gettext_lazy("Milled rice")),
    ("other", gettext_lazy("Other")),
)

# Typical published processing ratios, kept deliberately generous: the check is there to
# catch impossible volume, not to grade a factory's efficiency.
REFERENCE_YIELDS = (
    ReferenceYield(
        "coffee_cherry",
        "green_coffee",
        Decimal("0.20"),
        Decimal("0.10"),
        "About 5 kg of fresh cherry per kg of green coffee (widely published processing ratio, 5-6:1).",
    ),
    ReferenceYield(
        "coffee_cherry",
        "dried_coffee_cherry",
        Decimal("0.45"),
        Decimal("0.10"),
        "Sun drying from about 60 % to 12.5 % moisture (TCVN 4193 limit for green coffee).",
    ),
    ReferenceYield(
        "dried_coffee_cherry",
        "green_coffee",
        Decimal("0.50"),
        Decimal("0.10"),
        "Hulling dried cherry removes husk and pulp, about half the weight.",
    ),
    ReferenceYield(
        "green_coffee",
        "roasted_coffee",
        Decimal("0.85"),
        Decimal("0.05"),
        "Roasting loses 12-20 % of the weight as water and volatiles.",
    ),
    ReferenceYield(
        "raw_milk",
        "raw_milk",
        Decimal("1"),
        Decimal("0.01"),
        "Bulking and cooling add nothing; 1 % allows for meter differences.",
    ),
    ReferenceYield(
        "raw_milk",
        "pasteurised_milk",
        Decimal("1"),
        Decimal("0.01"),
        "Pasteurisation neither adds nor removes volume.",
    ),
    ReferenceYield(
        "fresh_cinnamon_bark",
        "dried_cinnamon_bark",
        Decimal("0.45"),
        Decimal("0.10"),
        "Fresh bark dries to roughly 40-50 % of its weight (about 2-2.5 kg fresh per kg dried).",
    ),
    ReferenceYield(
        "paddy_rice",
        "milled_rice",
        Decimal("0.68"),
        Decimal("0.05"),
        "Milling recovery of about 65-70 % of paddy weight.",
    ),
)
_REFERENCE = {(r.input_commodity, r.output_commodity): r for r in REFERENCE_YIELDS}

# Units compared after conversion (UN/CEFACT Recommendation 20): mass to KGM, volume to LTR.
_UNITS = {
    "KGM": ("KGM", Decimal(1)),
    "TNE": ("KGM", Decimal(1000)),
    "GRM": ("KGM", Decimal("0.001")),
    "LTR": ("LTR", Decimal(1)),
    "MTQ": ("LTR", Decimal(1000)),
}


def base_quantity(quantity: Decimal, unit: str) -> tuple[Decimal, str]:
    base, factor = _UNITS.get(unit, (unit, Decimal(1)))
    return quantity * factor, base


@dataclass(frozen=True)
class Yield:
    factor: Decimal
    tolerance: Decimal
    source: str


def yield_between(
    input_product: Product | None,
    output_product: Product | None,
    *,
    measured: dict[tuple[int, int], YieldFactor] | None = None,
) -> Yield | None:
    """How much of `output_product` one unit of `input_product` makes, or None (unknown)."""
    if input_product is None or output_product is None:
        return None
    measured = measured or {}
    own = measured.get((input_product.pk, output_product.pk))
    if own is not None:
        return Yield(own.factor, own.tolerance, own.source or _("measured by the organization"))
    if input_product.pk == output_product.pk:
        return Yield(*SAME_PRODUCT, _("the same product"))
    reference = _REFERENCE.get((input_product.commodity, output_product.commodity))
    if (
        reference is None
        and input_product.commodity
        and (input_product.commodity == output_product.commodity)
    ):
        return Yield(*SAME_PRODUCT, _("the same commodity"))
    if reference is None:
        return None
    return Yield(reference.factor, reference.tolerance, reference.source)


@dataclass(frozen=True)
class Finding:
    """One breach: where (an event or a lot), what was found, what was allowed, and why."""

    reason: str
    quantity: Decimal
    allowed: Decimal
    unit: str
    event: Event | None = None
    lot: Lot | None = None
    organization: Organization | None = None

    @property
    def excess(self) -> Decimal:
        return self.quantity - self.allowed


@dataclass
class _Amount:
    lot: Lot | None
    product: Product | None
    quantity: Decimal
    unit: str


def _measured(organization_ids: Iterable[int]) -> dict[tuple[int, int], YieldFactor]:
    factors = YieldFactor.objects.filter(organization_id__in=list(organization_ids))
    return {(f.input_product_id, f.output_product_id): f for f in factors}


def _amounts(objects: Iterable[EventObject], roles: set[str]) -> list[_Amount]:
    amounts = []
    for obj in objects:
        if obj.role not in roles or obj.quantity is None:
            continue
        product = obj.lot.product if obj.lot is not None else None
        quantity, unit = base_quantity(obj.quantity, obj.uom or (obj.lot.unit if obj.lot else ""))
        amounts.append(_Amount(obj.lot, product, quantity, unit))
    return amounts


_INPUTS = {EventObject.Role.INPUT, EventObject.Role.INPUT_CLASS}
_OUTPUTS = {EventObject.Role.OUTPUT, EventObject.Role.OUTPUT_CLASS}


def check_transformation(
    events: list[Event], *, measured: dict[tuple[int, int], YieldFactor] | None = None
) -> list[Finding]:
    """Findings of one transformation (its events, prefetched `event_objects__lot__product`).

    An output product is checked when every input's yield into it is known; a transformation
    naming no quantities, or products without a known yield, gives no finding.
    """
    objects = [obj for event in events for obj in event.event_objects.all()]
    inputs, outputs = _amounts(objects, _INPUTS), _amounts(objects, _OUTPUTS)
    if not inputs or not outputs:
        return []
    measured = measured if measured is not None else _measured({events[0].organization_id})
    by_product: dict[tuple[Any, str], list[_Amount]] = defaultdict(list)
    for amount in outputs:
        by_product[(amount.product.pk if amount.product else None, amount.unit)].append(amount)
    findings = []
    for (_product_id, unit), made in by_product.items():
        product = made[0].product
        allowed = Decimal(0)
        known = True
        for source in inputs:
            factor = yield_between(source.product, product, measured=measured)
            if factor is None or source.unit != unit:
                known = False
                break
            allowed += source.quantity * factor.factor * (1 + factor.tolerance)
        if not known:
            continue
        total = sum((m.quantity for m in made), Decimal(0))
        if total > allowed:
            name = product.name if product else _("the output")
            findings.append(
                Finding(
                    reason=_(
                        "%(made)s %(unit)s of %(product)s made from inputs that allow at most "
                        "%(allowed)s %(unit)s (yield and tolerance included)"
                    )
                    % {
                        "made": _fmt(total),
                        "unit": unit,
                        "product": name,
                        "allowed": _fmt(allowed),
                    },
                    quantity=total,
                    allowed=allowed,
                    unit=unit,
                    event=events[-1],
                    lot=made[0].lot,
                    organization=events[0].organization,
                )
            )
    return findings


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001')).normalize():f}"


def _transformations(events: Iterable[Event]) -> list[list[Event]]:
    """Events grouped into transformations: by transformationID where set."""
    groups: dict[Any, list[Event]] = {}
    for event in events:
        key = (
            (event.organization_id, event.transformation_id)
            if event.transformation_id
            else event.pk
        )
        groups.setdefault(key, []).append(event)
    return list(groups.values())


def transformation_findings(events: Iterable[Event]) -> list[Finding]:
    events = list(events)
    measured = _measured({e.organization_id for e in events})
    findings = []
    for group in _transformations(events):
        findings += check_transformation(group, measured=measured)
    return findings


def _transformation_events(query: Q) -> list[Event]:
    return list(
        Event.objects.filter(query, event_type=Event.Type.TRANSFORMATION)
        .filter(declared_erroneous_by__isnull=True, is_error_declaration=False)
        .select_related("organization")
        .prefetch_related("event_objects__lot__product")
        .order_by("event_time", "id")
    )


def _quantified_objects(query: Q) -> Any:
    return (
        EventObject.objects.filter(query, quantity__isnull=False)
        .filter(event__declared_erroneous_by__isnull=True, event__is_error_declaration=False)
        .select_related("event", "event__organization")
        .order_by("event__event_time", "id")
    )


def lot_balance(lot: Lot, objects: Iterable[EventObject] | None = None) -> list[Finding]:
    """Per organization that held `lot`: consumed + shipped against produced + received.

    `objects`: the lot's quantified EventObjects when the caller already has them."""
    if objects is None:
        objects = _quantified_objects(Q(lot=lot))
    flows: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    organizations: dict[int, Organization] = {}
    units: set[str] = set()
    for obj in objects:
        event = obj.event
        quantity, unit = base_quantity(obj.quantity, obj.uom or lot.unit)
        units.add(unit)
        organizations[event.organization_id] = event.organization
        flow = flows[event.organization_id]
        if obj.role in _OUTPUTS or (
            event.event_type == Event.Type.OBJECT
            and event.action == "ADD"
            and obj.role in (EventObject.Role.EPC, EventObject.Role.EPC_CLASS)
        ):
            flow["in"] += quantity
        elif obj.role in _INPUTS:
            flow["out"] += quantity
        elif event.biz_step == "receiving":
            flow["in"] += quantity
        elif event.biz_step == "shipping":
            flow["out"] += quantity
    if len(units) != 1:
        return []
    unit = units.pop()
    shipped_by_others = {
        org_id: sum((f["out"] for other, f in flows.items() if other != org_id), Decimal(0))
        for org_id in flows
    }
    findings = []
    for org_id, flow in flows.items():
        available = flow["in"]
        if not available:
            # Nothing recorded coming in: it can have had at most what the lot was.
            available = lot.quantity if lot.quantity is not None else shipped_by_others[org_id]
            available = base_quantity(Decimal(available), lot.unit or unit)[0]
        allowed = available * (1 + LOT_TOLERANCE)
        if flow["out"] > allowed:
            findings.append(
                Finding(
                    reason=_(
                        "%(organization)s used or shipped %(out)s %(unit)s of lot %(lot)s but "
                        "produced or received only %(available)s %(unit)s"
                    )
                    % {
                        "organization": organizations[org_id].name,
                        "out": _fmt(flow["out"]),
                        "unit": unit,
                        "lot": lot,
                        "available": _fmt(available),
                    },
                    quantity=flow["out"],
                    allowed=allowed,
                    unit=unit,
                    lot=lot,
                    organization=organizations[org_id],
                )
            )
    return findings


def lot_findings(lot: Lot) -> list[Finding]:
    """Everything wrong with the volume of `lot`: the steps that made it or used it, and
    its own balance."""
    steps = _transformation_events(Q(event_objects__lot=lot))
    return transformation_findings(dict.fromkeys(steps)) + lot_balance(lot)


def organization_findings(organization: Organization) -> list[Finding]:
    """Findings on the transformations `organization` recorded and the lots it owns."""
    findings = transformation_findings(_transformation_events(Q(organization=organization)))
    by_lot: dict[int, list[EventObject]] = defaultdict(list)
    for obj in _quantified_objects(Q(lot__organization=organization)).select_related("lot"):
        by_lot[obj.lot_id].append(obj)
    lots = Lot.objects.filter(pk__in=list(by_lot)).select_related("product")
    for lot in lots.order_by("created_at", "id"):
        findings += lot_balance(lot, by_lot[lot.pk])
    return findings

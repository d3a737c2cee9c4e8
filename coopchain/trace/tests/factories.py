"""Trace data for tests, written through the ledger service as the platform writes it.

A harvest is a commissioning event, a processing step a transformation, a container an
aggregation, a sale a shipping event (coopchain.trace.services.record_events). Products get
a GTIN by default, so their lots are GS1 LGTINs the ledger links to the product; a lot
without a product gets a platform identifier.
"""

import itertools
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.db.models import Sum
from django.utils import timezone

from coopchain.lib.gs1 import check_digit, gtin_link
from coopchain.parties.models import Member, Organization
from coopchain.parties.tests.factories import CooperativeFactory
from coopchain.trace import services
from coopchain.trace.identifiers import issue_platform_lot_identifier, organization_uri
from coopchain.trace.models import Event, EventObject, Lot, Product
from coopchain.trace.services import Quantity

_clock = itertools.count()
_lots = itertools.count(1)
START = datetime(2025, 11, 3, 7, 0, tzinfo=timezone.get_fixed_timezone(420))


def _gtin(n: int) -> str:
    body = f"0893{n:09d}"
    return body + check_digit(body)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    organization = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Cà phê nhân {n}")
    gtin = factory.Sequence(_gtin)
    commodity = "green_coffee"
    unit = "KGM"


def _when(at: datetime | None) -> datetime:
    return at or START + timedelta(hours=next(_clock))


def lot_identifier(product: Product | None, number: str) -> str:
    """The EPC a new lot gets: an LGTIN for a product with a GTIN, else a platform URI."""
    if product is not None and product.gtin:
        return gtin_link(product.gtin, lot=number)
    return issue_platform_lot_identifier()


def _record(organization: Organization, event: dict[str, Any], **kwargs: Any) -> Any:
    return services.record_events(organization=organization, events=[event], **kwargs)


def _event(result: Any) -> Event:
    [event] = result.stored
    return event


def amount_of(lot: Lot) -> Decimal | None:
    """What a lot holds: its commissioned quantity, or what the steps that made it output."""
    if lot.quantity is not None:
        return lot.quantity
    made = EventObject.objects.filter(lot=lot, role__in=["output", "output_class"])
    total = made.aggregate(total=Sum("quantity"))["total"]
    return Decimal(total) if total is not None else None


def _quantity(lot: Lot, amount: Decimal | int | str | None) -> Quantity:
    amount = amount if amount is not None else amount_of(lot)
    return Quantity(lot.epc, Decimal(amount) if amount is not None else None, lot.unit or "KGM")


def _event_time(at: datetime) -> dict[str, str]:
    text = timezone.localtime(at).isoformat(timespec="milliseconds")
    return {"eventTime": text, "eventTimeZoneOffset": text[-6:]}


def new_lot(
    organization: Organization,
    *,
    product: Product | None = None,
    quantity: Decimal | int | str | None = None,
    lot_number: str = "",
    epc: str = "",
    at: datetime | None = None,
    published: bool = False,
) -> Lot:
    """A lot its organization commissions (packs, labels) without naming where it came from."""
    number = lot_number or f"L{next(_lots):05d}"
    epc = epc or lot_identifier(product, number)
    unit = product.unit if product else "KGM"
    item = Quantity(epc, Decimal(quantity) if quantity is not None else None, unit)
    result = _record(
        organization,
        services.commissioning_event(item=item, event_time=_when(at), lot_number=number),
    )
    lot = result.lots[epc]
    if published:
        Lot.objects.filter(pk=lot.pk).update(published=True)
        lot.published = True
    return lot


def harvest(
    member: Member,
    *,
    product: Product | None = None,
    quantity: Decimal | int | str = "500",
    harvested_on: date = date(2025, 11, 3),
    location: str = "",
    at: datetime | None = None,
    published: bool = False,
) -> Lot:
    """A member's harvest lot, commissioned by their cooperative."""
    number = f"H{next(_lots):05d}"
    epc = lot_identifier(product, number)
    unit = product.unit if product else "KGM"
    event = services.commissioning_event(
        item=Quantity(epc, Decimal(quantity), unit),
        event_time=_when(at),
        location=location,
        lot_number=number,
        harvest_started_on=harvested_on,
        harvest_ended_on=harvested_on,
    )
    lot = _record(member.organization, event, harvested_by={epc: member}).lots[epc]
    if published:
        Lot.objects.filter(pk=lot.pk).update(published=True)
        lot.published = True
    return lot


def transform(
    organization: Organization,
    inputs: list[tuple[Lot, Decimal | int | str]],
    outputs: list[tuple[Lot | str, Decimal | int | str]],
    *,
    at: datetime | None = None,
    location: str = "",
) -> Event:
    """A TransformationEvent from `inputs` to `outputs` (lots, or new lots' identifiers),
    each with the quantity it names."""
    event = services.transformation_event(
        inputs=[_quantity(lot, amount) for lot, amount in inputs],
        outputs=[
            Quantity(item, Decimal(amount)) if isinstance(item, str) else _quantity(item, amount)
            for item, amount in outputs
        ],
        event_time=_when(at),
        location=location,
    )
    return _event(_record(organization, event))


def process(
    organization: Organization,
    inputs: list[Lot],
    *,
    product: Product | None = None,
    quantity: Decimal | int | str | None = None,
    used: list[Decimal | int | str] | None = None,
    at: datetime | None = None,
    location: str = "",
) -> Lot:
    """A new lot made from `inputs` (each used whole, or in the `used` amounts)."""
    amounts = used or [amount_of(lot) or Decimal(0) for lot in inputs]
    made = Decimal(quantity) if quantity is not None else sum(map(Decimal, amounts), Decimal(0))
    epc = lot_identifier(product, f"P{next(_lots):05d}")
    transform(
        organization,
        list(zip(inputs, amounts, strict=True)),
        [(epc, made)],
        at=at,
        location=location,
    )
    return Lot.objects.get(epc=epc)


def aggregate(
    organization: Organization, children: list[Lot], parent: Lot, *, at: datetime | None = None
) -> Event:
    """Pack `children` (lots, so by class and quantity) into `parent` (AggregationEvent ADD)."""
    event = services.aggregation_event(
        parent=parent.epc,
        children=[_quantity(child, None) for child in children],
        event_time=_when(at),
    )
    return _event(_record(organization, event))


def ship(
    organization: Organization,
    lots: list[Lot],
    *,
    to: Organization | None = None,
    quantity: Decimal | int | str | None = None,
    at: datetime | None = None,
    location: str = "",
) -> Event:
    """Ship `lots` to `to` (an ObjectEvent OBSERVE with bizStep shipping)."""
    event = services.shipping_event(
        items=[_quantity(lot, quantity) for lot in lots],
        event_time=_when(at),
        location=location,
        source_party=organization_uri(organization),
        destination_party=organization_uri(to) if to is not None else "",
    )
    return _event(_record(organization, event))


def receive(
    organization: Organization,
    lots: list[Lot],
    *,
    quantity: Decimal | int | str | None = None,
    at: datetime | None = None,
) -> Event:
    event = services.receiving_event(
        items=[_quantity(lot, quantity) for lot in lots],
        event_time=_when(at),
        destination_party=organization_uri(organization),
    )
    return _event(_record(organization, event))


def sense(
    organization: Organization,
    lot: Lot,
    temperatures: list[tuple[datetime, float]],
) -> Event:
    """An ObjectEvent carrying temperature readings (EPCIS 2.0 sensorElementList)."""
    reports = [
        {"type": "gs1:Temperature", "value": value, "uom": "CEL", "time": when.isoformat()}
        for when, value in temperatures
    ]
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        **_event_time(temperatures[-1][0]),
        "action": "OBSERVE",
        "quantityList": [{"epcClass": lot.epc}],
        "bizStep": "storing",
        "sensorElementList": [{"sensorReport": reports}],
    }
    return _event(_record(organization, event))

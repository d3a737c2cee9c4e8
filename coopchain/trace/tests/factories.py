"""Trace data for tests: products, and lots made by the events that name them.

Lots come into being the way the ledger makes them: a harvest is a commissioning event, a
processing step a transformation, a pallet an aggregation, a sale a shipping event.
"""

import itertools
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from coopchain.parties.models import Member, Organization
from coopchain.parties.tests.factories import CooperativeFactory
from coopchain.trace.identifiers import issue_platform_lot_identifier
from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot, Product

_clock = itertools.count()
_lots = itertools.count(1)
START = datetime(2025, 11, 3, 7, 0, tzinfo=timezone.get_fixed_timezone(420))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    organization = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Cà phê nhân {n}")
    gtin = ""
    commodity = "green_coffee"
    unit = "KGM"


def _when(at: datetime | None) -> datetime:
    return at or START + timedelta(hours=next(_clock))


def _event(
    organization: Organization,
    event_type: str,
    *,
    biz_step: str,
    at: datetime | None,
    action: str = "",
    location: str = "",
    extra: dict[str, Any] | None = None,
) -> Event:
    at = _when(at)
    event_id = f"urn:uuid:{uuid.uuid4()}"
    document: dict[str, Any] = {
        "type": event_type,
        "eventID": event_id,
        "eventTime": at.isoformat(),
        "eventTimeZoneOffset": "+07:00",
        "bizStep": biz_step,
        **({"action": action} if action else {}),
        **({"bizLocation": {"id": location}} if location else {}),
        **(extra or {}),
    }
    return Event.objects.create(
        organization=organization,
        event_id=event_id,
        event_type=event_type,
        action=action,
        biz_step=biz_step,
        event_time=at,
        event_time_zone_offset="+07:00",
        record_time=timezone.now(),
        read_point=location,
        biz_location=location,
        document=document,
    )


def new_lot(
    organization: Organization,
    *,
    product: Product | None = None,
    quantity: Decimal | int | str | None = None,
    lot_number: str = "",
    epc: str = "",
    **fields: Any,
) -> Lot:
    number = lot_number or f"L{next(_lots):05d}"
    return Lot.objects.create(
        organization=organization,
        epc=epc or issue_platform_lot_identifier(),
        kind=Lot.Kind.LGTIN if epc.startswith("https://id.gs1.org/01/") else Lot.Kind.PLATFORM,
        product=product,
        lot_number=number,
        quantity=Decimal(quantity) if quantity is not None else None,
        unit=product.unit if product else "KGM",
        **fields,
    )


def _name(event: Event, lot: Lot, role: str, quantity: Decimal | None) -> None:
    EventObject.objects.create(
        event=event,
        epc=lot.epc,
        role=role,
        lot=lot,
        quantity=quantity,
        uom=lot.unit if quantity is not None else "",
    )


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
    organization = member.organization
    lot = new_lot(
        organization,
        product=product,
        quantity=quantity,
        harvested_by=member,
        harvest_started_on=harvested_on,
        harvest_ended_on=harvested_on,
        origin_location=location,
        published=published,
    )
    event = _event(
        organization,
        "ObjectEvent",
        biz_step="commissioning",
        action="ADD",
        at=at,
        location=location,
    )
    _name(event, lot, EventObject.Role.EPC_CLASS, Decimal(quantity))
    return lot


def transform(
    organization: Organization,
    inputs: list[tuple[Lot, Decimal | int | str]],
    outputs: list[tuple[Lot, Decimal | int | str]],
    *,
    biz_step: str = "commissioning",
    at: datetime | None = None,
    location: str = "",
) -> Event:
    """A TransformationEvent from `inputs` to `outputs`, each with the quantity it names."""
    event = _event(organization, "TransformationEvent", biz_step=biz_step, at=at, location=location)
    for lot, quantity in inputs:
        _name(event, lot, EventObject.Role.INPUT_CLASS, Decimal(quantity))
    for lot, quantity in outputs:
        _name(event, lot, EventObject.Role.OUTPUT_CLASS, Decimal(quantity))
    for (source, _), (target, _) in itertools.product(inputs, outputs):
        GenealogyEdge.objects.get_or_create(
            source=source,
            target=target,
            event=event,
            defaults={"kind": GenealogyEdge.Kind.TRANSFORMATION, "organization": organization},
        )
    return event


def process(
    organization: Organization,
    inputs: list[Lot],
    *,
    product: Product | None = None,
    quantity: Decimal | int | str | None = None,
    at: datetime | None = None,
    location: str = "",
    **fields: Any,
) -> Lot:
    """A new lot made from the whole of `inputs` (their recorded quantities)."""
    total = sum((lot.quantity or Decimal(0) for lot in inputs), Decimal(0))
    output_quantity = Decimal(quantity) if quantity is not None else total
    output = new_lot(organization, product=product, quantity=output_quantity, **fields)
    transform(
        organization,
        [(lot, lot.quantity or 0) for lot in inputs],
        [(output, output_quantity)],
        at=at,
        location=location,
    )
    return output


def aggregate(
    organization: Organization, children: list[Lot], parent: Lot, *, at: datetime | None = None
) -> Event:
    """Pack `children` into `parent` (AggregationEvent ADD)."""
    event = _event(
        organization,
        "AggregationEvent",
        biz_step="packing",
        action="ADD",
        at=at,
        extra={"parentID": parent.epc, "childEPCs": [c.epc for c in children]},
    )
    _name(event, parent, EventObject.Role.PARENT, None)
    for child in children:
        _name(event, child, EventObject.Role.CHILD, None)
        GenealogyEdge.objects.create(
            source=child,
            target=parent,
            event=event,
            kind=GenealogyEdge.Kind.AGGREGATION,
            organization=organization,
        )
    return event


def party_uri(organization: Organization) -> str:
    from coopchain.trace.identifiers import organization_uri

    return organization_uri(organization)


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
    extra: dict[str, Any] = {}
    if to is not None:
        extra["sourceList"] = [{"type": "owning_party", "source": party_uri(organization)}]
        extra["destinationList"] = [{"type": "owning_party", "destination": party_uri(to)}]
    event = _event(
        organization,
        "ObjectEvent",
        biz_step="shipping",
        action="OBSERVE",
        at=at,
        location=location,
        extra=extra,
    )
    for lot in lots:
        amount = Decimal(quantity) if quantity is not None else lot.quantity
        _name(event, lot, EventObject.Role.EPC_CLASS, amount)
    return event


def receive(
    organization: Organization,
    lots: list[Lot],
    *,
    quantity: Decimal | int | str | None = None,
    at: datetime | None = None,
) -> Event:
    event = _event(organization, "ObjectEvent", biz_step="receiving", action="OBSERVE", at=at)
    for lot in lots:
        amount = Decimal(quantity) if quantity is not None else lot.quantity
        _name(event, lot, EventObject.Role.EPC_CLASS, amount)
    return event


def sense(
    organization: Organization,
    lot: Lot,
    temperatures: list[tuple[datetime, float]],
    *,
    at: datetime | None = None,
) -> Event:
    """An ObjectEvent carrying temperature readings (EPCIS 2.0 sensorElementList)."""
    reports = [
        {"type": "gs1:Temperature", "value": value, "uom": "CEL", "time": when.isoformat()}
        for when, value in temperatures
    ]
    event = _event(
        organization,
        "ObjectEvent",
        biz_step="storing",
        action="OBSERVE",
        at=at or temperatures[-1][0],
        extra={"sensorElementList": [{"sensorReport": reports}]},
    )
    _name(event, lot, EventObject.Role.EPC_CLASS, None)
    return event

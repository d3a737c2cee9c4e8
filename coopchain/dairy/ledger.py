"""Milk in the ledger: the dairy's only door into `coopchain.trace`.

- An accepted delivery is a lot with a platform identifier, brought into being at the
  collection centre by an ObjectEvent ADD (bizStep commissioning) naming the member who
  delivered it, so a backward trace ends at the farmer.
- A tank's milk of one shift is a bulk lot: a TransformationEvent with the deliveries' lots
  as inputs and the bulk lot as output.
- A bulk lot leaving for the processor is a shipping event with the processor as
  destination party.
- A corrected delivery's event gets an error declaration pointing at the correcting event;
  nothing is deleted.
"""

import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from coopchain.dairy.models import BulkLot, Delivery
from coopchain.parties.models import Facility, Organization
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import (
    CODE_ALPHABET,
    CODE_LENGTH,
    issue_platform_lot_identifier,
    organization_uri,
    platform_code_of,
    platform_lot_uri,
)
from coopchain.trace.models import Event, EventObject, Lot

PREFIX = "coopchain"
# The operating system's randomness, as `secrets` uses, drawn a whole code at a time.
RANDOM = secrets.SystemRandom()
KILOGRAM = "KGM"


def _context() -> list[Any]:
    return [ledger.EPCIS_CONTEXT, {PREFIX: f"{settings.PUBLIC_BASE_URL}/ns/epcis#"}]


def _delivery_event(delivery: Delivery, uri: str) -> dict[str, Any]:
    return ledger.commissioning_event(
        item=ledger.Quantity(uri, delivery.quantity_kg, KILOGRAM),
        event_time=delivery.delivered_at,
        location=delivery.centre.location_uri,
        lot_number=platform_code_of(uri) or "",
        harvest_started_on=delivery.collection_day,
        ilmd={
            "cbvmda:countryOfOrigin": "VN",
            f"{PREFIX}:memberCode": delivery.member.code,
            f"{PREFIX}:shift": delivery.shift,
        },
    )


def _issue(count: int) -> list[str]:
    """`count` new platform lot identifiers, checked unused in one query rather than one
    each (a day's deliveries are hundreds)."""
    found: list[str] = []
    while len(found) < count:
        wanted = count - len(found)
        codes = {"".join(RANDOM.choices(CODE_ALPHABET, k=CODE_LENGTH)) for _ in range(wanted)}
        uris = {platform_lot_uri(code) for code in codes} - set(found)
        taken = set(Lot.objects.filter(epc__in=uris).values_list("epc", flat=True))
        found += sorted(uris - taken)
    return found


def commission_delivery_lots(organization: Organization, deliveries: Sequence[Delivery]) -> None:
    """Record the lots of accepted deliveries in one ledger call and set each delivery's
    `lot_id` (the caller saves them)."""
    uris = _issue(len(deliveries)) if len(deliveries) > 1 else [issue_platform_lot_identifier()]
    result = ledger.record_events(
        organization=organization,
        events=[_delivery_event(d, uri) for d, uri in zip(deliveries, uris, strict=True)],
        context=_context(),
        harvested_by={uri: d.member for d, uri in zip(deliveries, uris, strict=True)},
    )
    for delivery, uri in zip(deliveries, uris, strict=True):
        delivery.lot_id = result.lot_ids[uri]


def _commissioning(lot: Lot) -> Event | None:
    return (
        Event.objects.filter(
            organization=lot.organization,
            event_objects__lot=lot,
            event_objects__role=EventObject.Role.EPC_CLASS,
            action="ADD",
            is_error_declaration=False,
        )
        .order_by("record_time", "pk")
        .first()
    )


def declare_corrected(original: Delivery, correction: Delivery) -> None:
    """Mark the original delivery's event as wrong, pointing at the correction's event."""
    if original.lot_id is None:
        return
    event = _commissioning(original.lot)
    if event is None or event.declared_erroneous_by_id:
        return
    corrective: list[str] = []
    if correction.lot_id:
        found = _commissioning(correction.lot)
        corrective = [found.event_id] if found else []
    declaration = ledger.error_declaration(
        event=event.document,
        declared_at=timezone.now(),
        reason="incorrect_data" if corrective else "did_not_occur",
        corrective_event_ids=corrective,
    )
    ledger.record_event(organization=original.organization, event=declaration, context=_context())


def bulk_lot_events(
    organization: Organization, plans: Sequence[tuple[Facility, Sequence[Delivery]]]
) -> list[tuple[int, str]]:
    """Record one TransformationEvent per planned tank (its centre, its deliveries with their
    lots); returns each plan's (lot id, identifier), in order."""
    uris = _issue(len(plans))
    events = []
    for (centre, deliveries), uri in zip(plans, uris, strict=True):
        total = sum((d.quantity_kg for d in deliveries), start=deliveries[0].quantity_kg * 0)
        events.append(
            ledger.transformation_event(
                inputs=[ledger.Quantity(d.lot.epc, d.quantity_kg, KILOGRAM) for d in deliveries],
                outputs=[ledger.Quantity(uri, total, KILOGRAM)],
                event_time=max(d.delivered_at for d in deliveries),
                location=centre.location_uri,
                ilmd={"cbvmda:lotNumber": platform_code_of(uri) or ""},
            )
        )
    result = ledger.record_events(organization=organization, events=events, context=_context())
    return [(result.lot_ids[uri], uri) for uri in uris]


def shipping_events(bulk_lots: Sequence[BulkLot], processor: Organization) -> None:
    if not bulk_lots:
        return
    source = organization_uri(bulk_lots[0].organization)
    destination = organization_uri(processor)
    events = [
        ledger.shipping_event(
            items=[ledger.Quantity(b.lot.epc, b.quantity_kg, KILOGRAM)],
            event_time=b.shipped_at,
            location=b.centre.location_uri,
            source_party=source,
            destination_party=destination,
        )
        for b in bulk_lots
    ]
    ledger.record_events(organization=bulk_lots[0].organization, events=events, context=_context())

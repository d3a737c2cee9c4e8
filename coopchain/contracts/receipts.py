"""The buyer confirms receipt of a delivery: how much it accepted and how much it refused.

Recorded in the ledger through `coopchain.trace.services.record_events` as the buyer's
events: an ObjectEvent OBSERVE with bizStep `receiving` and disposition `in_progress` for
the accepted quantity (CBV 2.0: the goods are taken in and now in the buyer's process), and,
for a refused quantity, an ObjectEvent OBSERVE with bizStep `inspecting` and disposition
`non_conformant` (CBV 2.0: found not to conform to its specification). A delivery is received
once; the receipt is evidence and is not edited.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.contracts import services
from coopchain.contracts.models import ContractDelivery, DeliveryReceipt
from coopchain.errors import Conflict, FieldError, InvalidInput
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import organization_uri

RECEIVING = "receiving"
INSPECTING = "inspecting"
NON_CONFORMANT = "non_conformant"


def _event_time(on: date) -> datetime:
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(15)))


@transaction.atomic
def confirm_receipt(
    *,
    delivery: ContractDelivery,
    accepted_kg: Decimal,
    rejected_kg: Decimal = Decimal(0),
    received_on: date,
    reason: str = "",
    by: Any,
) -> DeliveryReceipt:
    """The buyer's receipt of `delivery`. Accepted and rejected together may fall short of
    what was delivered (the difference is shown as not received), never exceed it."""
    delivery = ContractDelivery.objects.select_related(
        "contract__buyer", "contract__seller", "lot"
    ).get(pk=delivery.pk)
    contract = delivery.contract
    services.require_party(by, contract.buyer)
    if DeliveryReceipt.objects.filter(delivery=delivery).exists():
        raise Conflict(detail=_("This delivery's receipt is already confirmed."))
    errors = []
    if accepted_kg < 0:
        errors.append(FieldError("accepted_kg", _("must not be negative"), str(accepted_kg)))
    if rejected_kg < 0:
        errors.append(FieldError("rejected_kg", _("must not be negative"), str(rejected_kg)))
    if accepted_kg + rejected_kg > delivery.quantity_kg:
        errors.append(
            FieldError(
                "accepted_kg",
                _("accepted and rejected add up to more than the %(kg)s kg delivered")
                % {"kg": delivery.quantity_kg},
                str(accepted_kg + rejected_kg),
            )
        )
    if accepted_kg + rejected_kg == 0:
        errors.append(FieldError("accepted_kg", _("nothing was accepted or rejected")))
    if rejected_kg > 0 and not reason.strip():
        errors.append(FieldError("reason", _("a rejection needs a reason")))
    if received_on < delivery.delivered_on:
        errors.append(FieldError("received_on", _("is before the delivery"), str(received_on)))
    if received_on > timezone.localdate():
        errors.append(FieldError("received_on", _("is in the future"), str(received_on)))
    if errors:
        raise InvalidInput(
            detail="; ".join(f"{e.field}: {e.reason}" for e in errors), errors=errors
        )
    buyer, seller = organization_uri(contract.buyer), organization_uri(contract.seller)
    when = _event_time(received_on)
    events = []
    if accepted_kg > 0:
        events.append(
            ledger.receiving_event(
                items=[ledger.Quantity(delivery.lot.epc, accepted_kg, services.KILOGRAM)],
                event_time=when,
                source_party=seller,
                destination_party=buyer,
            )
        )
    if rejected_kg > 0:
        refused = ledger.receiving_event(
            items=[ledger.Quantity(delivery.lot.epc, rejected_kg, services.KILOGRAM)],
            event_time=when,
            source_party=seller,
            destination_party=buyer,
        )
        refused.update(bizStep=INSPECTING, disposition=NON_CONFORMANT)
        events.append(refused)
    recorded = ledger.record_events(organization=contract.buyer, events=events)
    return DeliveryReceipt.objects.create(
        delivery=delivery,
        received_on=received_on,
        accepted_kg=accepted_kg,
        rejected_kg=rejected_kg,
        reason=reason.strip(),
        event_id=recorded.event_ids[0],
        received_by=None if by is SYSTEM else by,
    )

"""The buyer confirms receipt of a delivery as an EPCIS receiving event, fulfilment counts what
it accepted and rejected, and a delivery's grade follows from the quality measured on it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coopchain.contracts import receipts, services
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.errors import Conflict, InvalidInput, NotFound
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Event
from coopchain.trace.tests import factories as trace


@pytest.fixture
def graded(exporter, coop):
    """Grades by moisture: L1 up to 12.5 % (+2,000), L2 up to 13 % (0), a penalty grade."""
    market_price(date(2025, 11, 10), 110_000)
    return make_contract(
        exporter,
        coop,
        quality_measure="Độ ẩm, %",
        grades=[
            services.Grade("L1", "Loại 1", 2000, None, Decimal("12.5")),
            services.Grade("L2", "Loại 2", 0, Decimal("12.5"), Decimal(13)),
            services.Grade("DC", "Dưới chuẩn", -5000),
        ],
    )


def deliver(contract, member, kg=1000, measured=None, on=date(2025, 11, 12)):
    return services.record_contract_delivery(
        contract=contract,
        lot=trace.harvest(member, quantity=kg),
        quantity_kg=Decimal(kg),
        delivered_on=on,
        measured_quality=None if measured is None else Decimal(measured),
        by=SYSTEM,
    )


def receive(delivery, accepted, rejected=0, reason="", by=SYSTEM, on=date(2025, 11, 13)):
    return receipts.confirm_receipt(
        delivery=delivery,
        accepted_kg=Decimal(accepted),
        rejected_kg=Decimal(rejected),
        received_on=on,
        reason=reason,
        by=by,
    )


@pytest.mark.parametrize(
    ("measured", "grade", "price", "below"),
    [
        ("12.0", "L1", 118_600, False),  # 116,600 + 2,000
        ("12.5", "L1", 118_600, False),
        ("12.8", "L2", 116_600, False),
        ("13.4", "DC", 111_600, True),  # no grade holds 13.4 %: the penalty grade
    ],
)
def test_the_grade_and_its_premium_or_penalty_follow_the_measured_quality(
    graded, member, measured, grade, price, below
):
    delivery = deliver(graded, member, measured=measured)

    assert delivery.grade.code == grade
    assert delivery.price_per_kg == price
    assert delivery.below_specification is below


def test_the_buyer_confirms_receipt_as_an_epcis_receiving_event(graded, member, buyer):
    delivery = deliver(graded, member, kg=1000)

    receipt = receive(delivery, 950, 50, reason="Lẫn tạp chất", by=buyer)

    received = Event.objects.get(event_id=receipt.event_id)
    assert received.biz_step == "receiving"
    assert received.disposition == "in_progress"
    assert received.organization_id == graded.buyer_id
    assert received.document["quantityList"][0]["quantity"] == 950
    assert received.document["destinationList"][0]["destination"] == organization_uri(graded.buyer)
    refused = Event.objects.get(biz_step="inspecting", event_objects__lot=delivery.lot)
    assert refused.disposition == "non_conformant"
    assert refused.document["quantityList"][0]["quantity"] == 50


def test_fulfilment_counts_what_the_buyer_accepted_and_rejected(graded, member):
    receive(deliver(graded, member, kg=1000), 950, 50, reason="Ẩm cao")
    deliver(graded, member, kg=500)  # not yet received

    seen = services.fulfilment(graded)

    assert seen.total.delivered_kg == Decimal(1500)
    assert (seen.total.accepted_kg, seen.total.rejected_kg) == (Decimal(950), Decimal(50))
    assert (seen.windows[0].accepted_kg, seen.windows[0].rejected_kg) == (950, 50)


def test_a_delivery_is_received_once(graded, member):
    delivery = deliver(graded, member)
    receive(delivery, 1000)

    with pytest.raises(Conflict, match="already confirmed"):
        receive(delivery, 1000)


def test_more_than_was_delivered_cannot_be_accepted(graded, member):
    with pytest.raises(InvalidInput, match="more than the 1000.00 kg delivered"):
        receive(deliver(graded, member), 900, 200, reason="Ẩm")


def test_a_rejection_needs_a_reason(graded, member):
    with pytest.raises(InvalidInput) as refused:
        receive(deliver(graded, member), 900, 100)

    assert refused.value.errors[0].field == "reason"


def test_the_seller_cannot_confirm_the_buyers_receipt(graded, member, other_manager):
    with pytest.raises(NotFound):
        receive(deliver(graded, member), 1000, by=other_manager)


def test_the_buyer_confirms_receipt_on_the_contract_page(client, graded, member, buyer):
    delivery = deliver(graded, member, kg=1000, measured="13.4")
    client.force_login(buyer)

    page = client.post(
        reverse("contracts:receive", args=[graded.pk]),
        {
            "delivery": delivery.pk,
            "accepted_kg": "980",
            "rejected_kg": "20",
            "received_on": "2025-11-13",
            "reason": "Bao rách",
        },
        follow=True,
    ).content.decode()

    assert "Receipt confirmed." in page
    assert "Received 13/11/2025: 980.00 kg accepted, 20.00 kg rejected" in page
    assert "below the specification" in page


def test_delivery_rows_show_what_lies_outside_the_windows_and_beyond_the_contract(
    client, exporter, coop, member, manager
):
    market_price(date(2025, 9, 1), 100_000)
    contract = make_contract(
        exporter,
        coop,
        quantity_kg=Decimal(1000),
        windows=[services.Window(date(2025, 10, 1), date(2025, 10, 31), Decimal(1000))],
    )
    deliver(contract, member, kg=800, on=date(2025, 10, 20))
    deliver(contract, member, kg=400, on=date(2025, 11, 20))
    client.force_login(manager)

    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    assert "outside the delivery windows: counts toward no window" in page
    assert "beyond the contracted quantity" in page

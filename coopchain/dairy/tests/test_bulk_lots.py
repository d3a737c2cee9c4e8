"""A tank's milk of one shift becomes a bulk lot through the ledger, ships to the processor,
and traces back to every delivery and member in it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.models import Delivery
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import Conflict, InvalidInput
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import EnterpriseFactory, MemberFactory
from coopchain.trace import genealogy
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Event, Lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def tank(coop, centre, chart):
    day = timezone.localdate() - timedelta(days=1)
    members = MemberFactory.create_batch(3, organization=coop)
    delivered = [
        deliver(m, centre, on=day, quantity=q)
        for m, q in zip(members, ["12", "8", "15"], strict=False)
    ]
    rejected = deliver(members[0], centre, on=day, antibiotic="positive")
    evening = deliver(members[1], centre, on=day, shift="evening")
    return day, members, delivered, rejected, evening


def test_a_bulk_lot_is_made_of_the_shifts_accepted_deliveries(coop, centre, tank):
    day, _members, delivered, rejected, evening = tank

    [bulk] = services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)

    assert bulk.quantity_kg == Decimal("35.00")
    assert set(bulk.deliveries.all()) == set(delivered)
    event = Event.objects.get(event_objects__lot=bulk.lot)
    assert event.event_type == "TransformationEvent"
    rejected.refresh_from_db()
    evening.refresh_from_db()
    assert rejected.bulk_lot is None
    assert evening.bulk_lot is None


def test_a_backward_trace_from_the_bulk_lot_reaches_every_delivery_and_member(coop, centre, tank):
    day, members, delivered, _rejected, _evening = tank
    [bulk] = services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)

    trace = genealogy.backward(bulk.lot_id)

    assert {d.lot_id for d in delivered} <= set(trace.lots)
    reached = Lot.objects.filter(pk__in=trace.lots, harvested_by__isnull=False)
    assert set(reached.values_list("harvested_by", flat=True)) == {m.pk for m in members}


def test_a_forward_trace_from_a_delivery_reaches_the_bulk_lot_and_its_shipment(coop, centre, tank):
    day, _members, delivered, _rejected, _evening = tank
    [bulk] = services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)
    processor = EnterpriseFactory(name="Công ty Cổ phần Sữa Tản Viên")

    services.ship_bulk_lots(
        bulk_lots=[bulk], processor=processor, shipped_at=timezone.now(), by=SYSTEM
    )

    trace = genealogy.forward(delivered[0].lot_id)
    assert trace.reached(bulk.lot_id)
    [shipment] = Event.objects.filter(pk__in=trace.shipments)
    assert shipment.biz_step == "shipping"
    destinations = {d["destination"] for d in shipment.document["destinationList"]}
    assert organization_uri(processor) in destinations


def test_a_tank_is_made_into_a_bulk_lot_once(coop, centre, tank):
    day = tank[0]
    services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)

    with pytest.raises(Conflict):
        services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)


def test_an_empty_tank_makes_no_bulk_lot(coop, centre, chart):
    with pytest.raises(InvalidInput):
        services.make_bulk_lots(
            organization=coop, tanks=[(centre, timezone.localdate(), "evening")], by=SYSTEM
        )


def test_a_delivery_in_a_bulk_lot_can_no_longer_be_corrected(coop, centre, tank):
    day, _m, delivered, _r, _e = tank
    services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)

    with pytest.raises(Conflict):
        services.correct_delivery(
            original=Delivery.objects.get(pk=delivered[0].pk),
            reading=services.Reading(quantity=Decimal(3)),
            reason="x",
            by=SYSTEM,
        )


def test_tank_readings_are_kept_once_and_hours_above_six_degrees_are_counted(coop, centre):
    from coopchain.dairy import selectors

    day = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 6))
    temps = ["4", "5", "7.5", "8", "5", "4"]
    readings = [(start + timedelta(hours=i), Decimal(t)) for i, t in enumerate(temps)]

    assert services.record_tank_readings(centre=centre, readings=readings, by=SYSTEM) == 6
    assert services.record_tank_readings(centre=centre, readings=readings, by=SYSTEM) == 0
    # Above 6 °C from 08:00 (7.5) to 10:00 (back to 5): two hours.
    assert selectors.hours_above(centre, day) == Decimal("2.0")

"""Recording deliveries: quantities converted, flags and price kept, the ledger event written,
corrections appended, and who may record."""

from decimal import Decimal

import pytest

from coopchain.dairy import services
from coopchain.dairy.models import Delivery
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coopchain.trace.models import Event, Lot

pytestmark = pytest.mark.django_db


def test_an_accepted_delivery_is_a_lot_commissioned_at_the_centre(member, centre, chart):
    delivery = deliver(member, centre, quantity="18.5")

    event = Event.objects.get(event_objects__lot=delivery.lot)
    assert event.event_type == "ObjectEvent"
    assert event.action == "ADD"
    assert event.biz_step == "commissioning"
    assert event.biz_location == centre.location_uri
    assert delivery.lot.quantity == Decimal("18.500")
    assert delivery.lot.harvested_by == member
    assert event.document["ilmd"]["coopchain:memberCode"] == member.code


def test_litres_are_converted_to_kilograms_by_the_measured_density(member, centre, chart):
    delivery = deliver(member, centre, quantity="20", unit="LTR", density="1.030")

    assert delivery.quantity_litres == Decimal("20.00")
    assert delivery.quantity_kg == Decimal("20.60")


def test_a_lactometer_reading_gives_the_density(member, centre):
    reading = services.Reading(quantity=Decimal("10"), lactometer=Decimal("28"))
    assert reading.measured_density() == Decimal("1.028")


def test_the_price_is_computed_and_kept_with_the_delivery(member, centre, chart):
    delivery = deliver(member, centre, quantity="20", fat="3.8", snf="8.6")

    # 12.4 % total solids: base 14,000 + 250 for the 12.0 % grade.
    assert delivery.price_per_kg == 14250
    assert delivery.amount == 285000
    chart.base_price = 99999
    chart.save()
    delivery.refresh_from_db()
    assert delivery.amount == 285000


def test_antibiotic_positive_milk_is_rejected_unpaid_and_kept_out_of_the_ledger(
    member, centre, chart
):
    delivery = deliver(member, centre, antibiotic="positive")

    assert delivery.status == Delivery.Status.REJECTED
    assert "Antibiotic" in delivery.rejection_reason
    assert delivery.amount == 0
    assert delivery.lot is None


def test_a_delivery_rejected_for_another_reason_says_why(member, centre, chart):
    delivery = deliver(member, centre, rejection_reason="Sữa chua, có mùi lạ")

    assert delivery.status == Delivery.Status.REJECTED
    assert delivery.rejection_reason == "Sữa chua, có mùi lạ"


def test_a_correction_is_a_new_record_and_the_old_event_is_declared_erroneous(
    member, centre, chart
):
    original = deliver(member, centre, quantity="20")

    fixed = services.correct_delivery(
        original=original,
        reading=services.Reading(quantity=Decimal("12"), fat=Decimal("3.8"), snf=Decimal("8.6")),
        reason="Cân sai",
        by=services.SYSTEM,
    )

    original.refresh_from_db()
    assert Delivery.objects.count() == 2
    assert original.quantity_kg == Decimal("20.00")
    assert fixed.corrects == original
    assert not original.is_current
    old_event = Event.objects.get(event_objects__lot=original.lot, is_error_declaration=False)
    assert old_event.declared_erroneous_by is not None
    assert fixed.lot != original.lot


def test_a_delivery_is_corrected_once_then_its_correction_is(member, centre, chart):
    original = deliver(member, centre)
    reading = services.Reading(quantity=Decimal("5"))
    services.correct_delivery(original=original, reading=reading, reason="x", by=services.SYSTEM)

    with pytest.raises(Conflict):
        services.correct_delivery(
            original=original, reading=reading, reason="y", by=services.SYSTEM
        )


def test_a_correction_needs_a_reason(member, centre, chart):
    original = deliver(member, centre)
    with pytest.raises(InvalidInput):
        services.correct_delivery(
            original=original,
            reading=services.Reading(quantity=Decimal(5)),
            reason=" ",
            by=services.SYSTEM,
        )


def test_impossible_readings_are_refused_field_by_field(member, centre):
    with pytest.raises(InvalidInput) as refused:
        deliver(member, centre, quantity="0", fat="40")
    assert {e.field for e in refused.value.errors} == {"quantity", "fat"}
    assert Delivery.objects.count() == 0
    assert Lot.objects.count() == 0


def test_a_collector_records_and_a_farmer_may_not(member, centre, collector, farmer):
    assert deliver(member, centre, by=collector).recorded_by == collector
    with pytest.raises(Forbidden):
        deliver(member, centre, by=farmer)


def test_another_cooperatives_manager_cannot_record_here(member, centre, other_manager):
    with pytest.raises(NotFound):
        deliver(member, centre, by=other_manager)


def test_flags_are_kept_with_the_delivery(member, centre, chart):
    delivery = deliver(member, centre, snf="7.47", fat="3.3", density="1.024", temperature="9")

    assert {f["code"] for f in delivery.flags} >= {"watered", "warm", "low_density"}

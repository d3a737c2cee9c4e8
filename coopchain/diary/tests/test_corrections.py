"""Diary entries are appended, never changed: corrections and withdrawals are new entries."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.diary import selectors, services
from coopchain.diary.models import Activity
from coopchain.diary.tests.factories import harvest, spray
from coopchain.errors import Conflict, InvalidInput
from coopchain.trace.models import Event, Lot

DAY = timezone.localdate() - timedelta(days=20)


def test_a_correction_is_a_new_entry_and_the_original_stays(coop, staff, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    data = replace(
        services.activity_data(original),
        lines=(services.LineData(abamectin.pk, Decimal("0.3"), "LTR"),),
    )

    correction = services.correct_activity(
        original=original, data=data, reason="0.3 l, not 0.4", by=staff
    )

    assert Activity.objects.count() == 2
    original.refresh_from_db()
    assert original.lines.get().quantity == Decimal("0.400")
    assert correction.corrects == original
    assert correction.lines.get().quantity == Decimal("0.300")
    assert list(Activity.objects.current()) == [correction]
    assert selectors.history_of(correction) == [original, correction]
    assert selectors.history_of(original) == [original, correction]


def test_the_plot_diary_hides_corrected_entries_unless_history_is_asked(
    coop, staff, plot, abamectin
):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    correction = services.correct_activity(
        original=original,
        data=replace(services.activity_data(original), performed_on=DAY - timedelta(days=1)),
        reason="wrong day",
        by=staff,
    )

    current = [row.activity for row in selectors.plot_diary(staff, plot)]
    everything = [row.activity for row in selectors.plot_diary(staff, plot, history=True)]

    assert current == [correction]
    assert set(everything) == {original, correction}


def test_only_the_latest_version_can_be_corrected(coop, staff, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    data = services.activity_data(original)
    services.correct_activity(original=original, data=data, reason="first", by=staff)

    with pytest.raises(Conflict):
        services.correct_activity(original=original, data=data, reason="again", by=staff)


def test_a_correction_says_what_was_wrong(coop, staff, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    with pytest.raises(InvalidInput) as refused:
        services.correct_activity(
            original=original, data=services.activity_data(original), reason=" ", by=staff
        )

    assert refused.value.errors[0].field == "reason"
    assert Activity.objects.count() == 1


def test_a_withdrawn_entry_leaves_the_current_diary_but_not_the_history(
    coop, staff, plot, abamectin
):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    withdrawal = services.withdraw_activity(original=original, reason="wrong plot", by=staff)

    assert withdrawal.withdrawn
    assert withdrawal.corrects == original
    assert not Activity.objects.current().exists()
    assert selectors.history_of(original) == [original, withdrawal]
    with pytest.raises(Conflict):
        services.withdraw_activity(original=withdrawal, reason="undo", by=staff)


def test_a_withdrawn_spray_no_longer_makes_a_harvest_ineligible(coop, staff, plot, abamectin):
    sprayed = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    services.withdraw_activity(original=sprayed, reason="was on the neighbour's plot", by=staff)

    entry = harvest(organization=coop, plot=plot, on=DAY + timedelta(days=2), by=staff)

    assert entry.eligibility.eligible is True


def test_a_corrected_harvest_gets_a_new_lot_and_the_old_event_is_declared_erroneous(
    coop, staff, plot
):
    original = harvest(organization=coop, plot=plot, on=DAY, by=staff, quantity="1200")
    data = replace(services.activity_data(original), harvest_quantity=Decimal("1100"))

    correction = services.correct_activity(
        original=original, data=data, reason="weighed again", by=staff
    )

    assert correction.lot_id != original.lot_id
    assert Lot.objects.get(pk=correction.lot_id).quantity == Decimal("1100.000")
    old_event = Event.objects.get(event_objects__lot_id=original.lot_id, is_error_declaration=False)
    new_event = Event.objects.get(event_objects__lot_id=correction.lot_id)
    assert old_event.declared_erroneous_by is not None
    declaration = old_event.declared_erroneous_by.document["errorDeclaration"]
    assert declaration["reason"] == "incorrect_data"
    assert declaration["correctiveEventIDs"] == [new_event.event_id]


def test_a_withdrawn_harvest_is_declared_as_not_having_occurred(coop, staff, plot):
    original = harvest(organization=coop, plot=plot, on=DAY, by=staff)

    services.withdraw_activity(original=original, reason="recorded twice", by=staff)

    event = Event.objects.get(event_objects__lot_id=original.lot_id, is_error_declaration=False)
    assert event.declared_erroneous_by.document["errorDeclaration"]["reason"] == "did_not_occur"


def test_a_spray_cannot_be_corrected_into_a_harvest(coop, staff, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    data = replace(
        services.activity_data(original),
        kind=Activity.Kind.HARVEST,
        lines=(),
        crop_code="coffee-robusta",
        harvest_quantity=Decimal(5),
        harvest_unit="KGM",
    )

    with pytest.raises(InvalidInput):
        services.correct_activity(original=original, data=data, reason="x", by=staff)

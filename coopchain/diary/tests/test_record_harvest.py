"""A harvest creates its lot through the ledger, and the lot carries the diary's findings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from coopchain.diary import rules, services
from coopchain.diary.models import Activity, LotEligibility
from coopchain.diary.tests.factories import harvest, make_plot, spray
from coopchain.errors import InvalidInput
from coopchain.trace.models import Event, Lot

SPRAY_DAY = timezone.localdate() - timedelta(days=30)


def test_a_harvest_inside_the_phi_is_recorded_and_its_lot_is_not_eligible(
    coop, staff, member, plot, abamectin
):
    sprayed = spray(organization=coop, plot=plot, product=abamectin, on=SPRAY_DAY, by=staff)

    entry = harvest(organization=coop, plot=plot, on=SPRAY_DAY + timedelta(days=7), by=staff)

    eligibility = LotEligibility.objects.get(lot=entry.lot)
    assert eligibility.eligible is False
    assert [r["code"] for r in eligibility.reasons] == [rules.PHI]
    assert eligibility.reasons[0]["cause_entry_id"] == sprayed.pk
    assert "Abamectin test 1.8 EC" in eligibility.reason_messages[0]


def test_a_harvest_after_the_phi_gives_an_eligible_lot(coop, staff, plot, abamectin):
    spray(organization=coop, plot=plot, product=abamectin, on=SPRAY_DAY, by=staff)

    entry = harvest(organization=coop, plot=plot, on=SPRAY_DAY + timedelta(days=15), by=staff)

    assert entry.eligibility.eligible is True
    assert entry.eligibility.reasons == []


def test_a_banned_product_in_the_season_makes_the_lot_not_eligible(coop, staff, plot, paraquat):
    spray(organization=coop, plot=plot, product=paraquat, on=SPRAY_DAY, by=staff, quantity="1")

    entry = harvest(organization=coop, plot=plot, on=SPRAY_DAY + timedelta(days=20), by=staff)

    assert {r["code"] for r in entry.eligibility.reasons} >= {rules.BANNED}
    assert entry.eligibility.eligible is False


def test_the_harvest_lot_is_commissioned_in_the_ledger_with_plot_quantity_and_member(
    coop, farmer, member, plot
):
    entry = harvest(
        organization=coop, plot=plot, on=SPRAY_DAY, by=farmer, quantity="1250.5", unit="KGM"
    )

    lot = Lot.objects.get(pk=entry.lot_id)
    assert lot.organization == coop
    assert lot.kind == Lot.Kind.PLATFORM
    assert lot.quantity == Decimal("1250.500")
    assert lot.unit == "KGM"
    assert lot.harvested_by == member
    assert lot.harvest_started_on == SPRAY_DAY
    plot_uri = f"{settings.PUBLIC_BASE_URL}/plots/{plot.pk}"
    assert lot.origin_location == plot_uri

    event = Event.objects.get(event_objects__lot=lot)
    assert (event.event_type, event.action, event.biz_step) == (
        "ObjectEvent",
        "ADD",
        "commissioning",
    )
    assert event.biz_location == plot_uri
    document = event.document
    assert document["quantityList"] == [{"epcClass": lot.epc, "quantity": 1250.5, "uom": "KGM"}]
    assert document["sourceList"] == [{"type": "location", "source": plot_uri}]
    assert document["ilmd"]["cbvmda:harvestStartDate"] == SPRAY_DAY.isoformat()
    assert document["ilmd"]["coopchain:memberCode"] == member.code
    assert document["ilmd"]["coopchain:crop"] == "coffee-robusta"


def test_a_harvest_names_its_crop_quantity_and_unit(coop, staff, plot):
    with pytest.raises(InvalidInput) as refused:
        services.record_activity(
            organization=coop,
            data=services.ActivityData(
                kind=Activity.Kind.HARVEST,
                performed_on=SPRAY_DAY,
                plot_ids=(plot.pk,),
                harvest_unit="BAG",
            ),
            by=staff,
        )

    assert {e.field for e in refused.value.errors} == {"crop", "harvest_quantity", "harvest_unit"}
    assert not Activity.objects.exists()
    assert not Lot.objects.exists()


def test_a_crop_not_grown_on_the_plot_is_refused(coop, staff, plot):
    with pytest.raises(InvalidInput) as refused:
        harvest(organization=coop, plot=plot, on=SPRAY_DAY, by=staff, crop="cinnamon")

    assert [e.field for e in refused.value.errors] == ["crop"]


def test_the_preview_shows_the_findings_and_records_nothing(coop, staff, plot, abamectin):
    spray(organization=coop, plot=plot, product=abamectin, on=SPRAY_DAY, by=staff)

    findings = services.preview_harvest(
        organization=coop,
        data=services.ActivityData(
            kind=Activity.Kind.HARVEST,
            performed_on=SPRAY_DAY + timedelta(days=3),
            plot_ids=(plot.pk,),
            crop_code="coffee-robusta",
            harvest_quantity=Decimal(100),
            harvest_unit="KGM",
        ),
        by=staff,
    )

    assert [f.code for f in findings] == [rules.PHI]
    assert not Activity.objects.filter(kind=Activity.Kind.HARVEST).exists()


def test_a_spray_on_another_plot_of_the_household_does_not_touch_this_harvest(
    coop, staff, member, plot, abamectin
):
    other = make_plot(member, "EA-02", crop="coffee-robusta")
    spray(organization=coop, plot=other, product=abamectin, on=SPRAY_DAY, by=staff)

    entry = harvest(organization=coop, plot=plot, on=SPRAY_DAY + timedelta(days=1), by=staff)

    assert entry.eligibility.eligible is True


def test_a_retried_submission_records_the_harvest_once(coop, staff, plot):
    import uuid

    submission = uuid.uuid4()
    first = harvest(organization=coop, plot=plot, on=SPRAY_DAY, by=staff, submission_id=submission)
    again = harvest(organization=coop, plot=plot, on=SPRAY_DAY, by=staff, submission_id=submission)

    assert again.pk == first.pk
    assert Lot.objects.count() == 1
    assert Event.objects.count() == 1

"""The Ba Vì milk demo, in the slice the tests load: farms of 5 to 20 cows delivering twice a
day with their flags, bulk lots shipped to the processor and traced back to members, both
tanks logged, bills — loaded fast, and only once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coopchain.dairy.demo import SLICE, load_dairy_demo
from coopchain.dairy.models import BulkLot, Delivery, HerdRecord, MilkBill, TankReading
from coopchain.parties.demo import DAIRY, PROCESSOR, load_demo
from coopchain.parties.models import Facility, Organization
from coopchain.trace import genealogy
from coopchain.trace.models import Lot

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.utils import translation

    from coopchain.parties.admin_units import load_admin_units
    from coopchain.parties.models import AdminUnit

    # Loaded once for the module, outside the per-test English: stored wordings in English.
    with django_db_blocker.unblock(), translation.override("en"):
        outer = transaction.atomic()
        outer.__enter__()
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        load_demo()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def coop():
    from coopchain.parties.demo import ORGANIZATION_PLANS

    return Organization.objects.get(tax_code=ORGANIZATION_PLANS[DAIRY].tax_code)


def test_farms_of_5_to_20_cows_deliver_twice_daily_tens_of_litres(demo):
    deliveries = Delivery.objects.filter(organization=coop())
    farms = set(deliveries.values_list("member", flat=True))
    assert len(farms) == SLICE.farms
    cows = HerdRecord.objects.filter(member__in=farms, on=min(d.collection_day for d in deliveries))
    assert {r.cows for r in cows} <= set(range(5, 21))
    assert cows.count() == SLICE.farms
    days = sorted(set(deliveries.values_list("collection_day", flat=True)))
    today = timezone.localdate()
    # Today's morning milk comes in from eight o'clock: before that, yesterday is the last day.
    assert days[-1] in {today, today - timedelta(days=1)}
    assert days[0] == today - timedelta(days=SLICE.days)
    assert len(days) == (days[-1] - days[0]).days + 1
    litres = [d.quantity_litres for d in deliveries]
    assert min(litres) >= 20
    assert max(litres) <= 115
    assert set(deliveries.values_list("shift", flat=True)) == {"morning", "evening"}


def test_some_deliveries_are_flagged_watered_warm_and_one_refused_for_antibiotics(demo):
    deliveries = list(Delivery.objects.filter(organization=coop()))
    codes = [f["code"] for d in deliveries for f in d.flags]
    assert codes.count("watered") >= 3
    assert codes.count("warm") >= 3
    assert [d.rejection_reason for d in deliveries if d.status == "rejected"] == [
        "Antibiotic residue test positive"
    ]


def test_bulk_lots_are_shipped_to_the_processor_and_trace_back_to_members(demo):
    processor = Organization.objects.get(name="Công ty Cổ phần Sữa Tản Viên")
    bulk = BulkLot.objects.filter(organization=coop(), processor=processor).first()
    assert bulk is not None
    trace = genealogy.backward(bulk.lot_id)
    members = set(
        Lot.objects.filter(pk__in=trace.lots, harvested_by__isnull=False).values_list(
            "harvested_by", flat=True
        )
    )
    assert members == set(bulk.deliveries.values_list("member", flat=True))
    assert PROCESSOR


def test_bills_are_made_complete_periods_closed_and_both_tanks_logged(demo):
    bills = MilkBill.objects.filter(organization=coop())
    assert bills.filter(closed=True).exists()
    assert all(b.net == b.gross - b.deductions for b in bills)
    assert not bills.filter(closed=True, period_end__gte=timezone.localdate()).exists()
    centres = Facility.objects.filter(organization=coop(), kind=Facility.Kind.COLLECTION_CENTRE)
    for centre in centres:
        assert TankReading.objects.filter(centre=centre).count() >= SLICE.days * 47


def test_loading_again_adds_nothing(demo):
    before = Delivery.objects.count()
    load_dairy_demo()
    assert Delivery.objects.count() == before

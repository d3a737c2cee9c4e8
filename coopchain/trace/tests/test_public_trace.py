from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from coopchain.trace.public import public_trace
from coopchain.trace.tests import factories as f

HANOI = timezone.get_fixed_timezone(420)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_cold_chain_counts_the_minutes_raw_milk_spent_outside_2_to_6_degrees(coop, member):
    milk = f.ProductFactory(
        organization=coop, name="Sữa tươi nguyên liệu", commodity="raw_milk", unit="LTR"
    )
    tank = f.harvest(member, product=milk, quantity=800)
    start = datetime(2025, 11, 3, 5, 0, tzinfo=HANOI)
    f.sense(
        coop,
        tank,
        [
            (start + timedelta(minutes=30 * i), value)
            for i, value in enumerate((4.0, 7.5, 8.0, 5.0))
        ],
    )

    summary = public_trace(tank).cold_chain

    assert (summary.readings, summary.minimum, summary.maximum) == (4, 4.0, 8.0)
    assert (summary.low, summary.high) == (2.0, 6.0)
    assert summary.minutes_out_of_range == 60


def test_a_lot_behind_a_volume_finding_is_not_eligible_for_certified_claims(coop, member):
    cherry = f.ProductFactory(organization=coop, commodity="coffee_cherry")
    green = f.ProductFactory(organization=coop, commodity="green_coffee")
    lot = f.process(
        coop, [f.harvest(member, product=cherry, quantity=1000)], product=green, quantity=600
    )

    summary = public_trace(lot)

    assert summary.claims_eligible is False
    assert "cannot carry certified claims" in summary.claims_notice
    assert summary.as_json()["eligibleForCertifiedClaims"] is False


def test_the_origin_is_the_commune_and_the_province_is_marked_on_the_map(chain):
    summary = public_trace(chain.green)

    assert summary.places == [str(chain.coop.ward)]
    assert [mark["name"] for mark in summary.map_marks] == [chain.coop.province.name]
    assert len(summary.map_dots) == 34
    assert summary.certifications == []
    assert summary.harvest_from == chain.harvests[0].harvest_started_on

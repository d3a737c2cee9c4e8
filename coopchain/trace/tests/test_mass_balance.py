from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopchain.parties.tests.factories import CooperativeFactory, MemberFactory
from coopchain.trace.mass_balance import lot_balance, lot_findings, organization_findings
from coopchain.trace.models import YieldFactor
from coopchain.trace.tests import factories as f


@pytest.fixture(autouse=True)
def _english():
    # The reasons asserted below are the English ones; the default language is Vietnamese.
    with translation.override("en"):
        yield


def test_an_honest_chain_has_no_findings(chain):
    assert organization_findings(chain.coop) == []
    assert organization_findings(chain.exporter) == []
    assert lot_findings(chain.green) == []


def test_green_coffee_beyond_what_the_cherry_allows_is_a_finding(coop, member):
    cherry = f.ProductFactory(organization=coop, name="Quả tươi", commodity="coffee_cherry")
    green = f.ProductFactory(organization=coop, name="Nhân xô", commodity="green_coffee")
    harvest = f.harvest(member, product=cherry, quantity=1000)

    lot = f.process(coop, [harvest], product=green, quantity=400)

    [finding] = lot_findings(lot)
    assert finding.quantity == Decimal(400)
    assert finding.allowed == Decimal("220.000")  # 1,000 kg x 0.20 x 1.10
    assert "400 KGM of Nhân xô" in finding.reason
    assert finding.organization == coop


def test_a_measured_yield_replaces_the_reference_one(coop, member):
    cherry = f.ProductFactory(organization=coop, commodity="coffee_cherry")
    green = f.ProductFactory(organization=coop, commodity="green_coffee")
    YieldFactor.objects.create(
        organization=coop,
        input_product=cherry,
        output_product=green,
        factor=Decimal("0.25"),
        tolerance=Decimal("0.02"),
        source="Trial at Ea Tul 2024",
    )
    harvest = f.harvest(member, product=cherry, quantity=1000)

    assert lot_findings(f.process(coop, [harvest], product=green, quantity=250)) == []
    assert lot_findings(f.process(coop, [harvest], product=green, quantity=260)) != []


def test_products_without_a_known_yield_are_not_judged(coop, member):
    cherry = f.ProductFactory(organization=coop, commodity="coffee_cherry")
    pepper = f.ProductFactory(organization=coop, commodity="other")
    harvest = f.harvest(member, product=cherry, quantity=10)

    assert lot_findings(f.process(coop, [harvest], product=pepper, quantity=5000)) == []


def test_shipping_more_of_a_lot_than_was_made_is_a_finding(chain):
    f.ship(chain.coop, [chain.green], to=chain.roaster, quantity=300)

    [finding] = lot_balance(chain.green)
    assert finding.organization == chain.coop
    assert finding.quantity == Decimal(700)
    assert "produced or received only 400" in finding.reason


def test_a_sale_and_the_buyers_processing_are_not_counted_twice(chain):
    # The cooperative shipped the 400 kg and the exporter processed the same 400 kg.
    assert lot_balance(chain.green) == []


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(100000), places=3)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    consumed=quantities,
    made=quantities,
    factor=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2), places=5),
    tolerance=st.decimals(min_value=Decimal(0), max_value=Decimal("0.5"), places=4),
)
def test_findings_appear_exactly_when_outputs_exceed_inputs_times_yield_and_tolerance(
    db, consumed, made, factor, tolerance
):
    coop = CooperativeFactory()
    source = f.ProductFactory(organization=coop, commodity="other")
    product = f.ProductFactory(organization=coop, commodity="other")
    YieldFactor.objects.create(
        organization=coop,
        input_product=source,
        output_product=product,
        factor=factor,
        tolerance=tolerance,
    )
    harvest = f.harvest(MemberFactory(organization=coop), product=source, quantity=consumed)
    output = f.new_lot(coop, product=product, quantity=made)
    f.transform(coop, [(harvest, consumed)], [(output, made)])

    transformation_findings = [x for x in lot_findings(output) if x.event is not None]

    assert bool(transformation_findings) == (made > consumed * factor * (1 + tolerance))

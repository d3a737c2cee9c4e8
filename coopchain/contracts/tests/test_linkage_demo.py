"""The contracts demo, continued: the cinnamon cooperative buying its members' whole organic
output at +8 %, the vegetable cooperative supplying two schools and a supermarket, and the
supermarket contract in trouble with side-selling visible."""

from decimal import Decimal

import pytest

from coopchain.contracts import services
from coopchain.contracts.linkage_demo import load_linkage_demo
from coopchain.contracts.models import ContractDelivery, DeliveryReceipt, LinkageContract
from coopchain.contracts.side_selling import health_line, side_selling
from coopchain.parties import demo as parties_demo
from coopchain.parties.demo import CINNAMON, VEGETABLES


@pytest.fixture
def loaded(db):
    run = parties_demo._Run(stdout=None)
    parties_demo._load_organizations(run)
    parties_demo._load_users(run)
    for plan in parties_demo.COOPERATIVES:
        if plan.organization in (CINNAMON, VEGETABLES):
            parties_demo._load_households(run, plan)
    return load_linkage_demo()


def test_the_cinnamon_cooperative_buys_its_members_output_at_the_market_plus_8_percent(loaded):
    contract = LinkageContract.objects.get(pk=loaded["cinnamon"]["contract"])

    assert contract.from_members
    assert contract.buyer == contract.seller
    assert contract.market_percent == Decimal(8)
    delivery = contract.deliveries.order_by("delivered_on").first()
    market = services.market_price_on(contract, delivery.delivered_on).price
    assert delivery.price_lines[1]["amount"] == round(market * Decimal("0.08"))
    assert delivery.member.organization == contract.seller
    assert contract.deliveries.filter(below_specification=True).exists()


def test_the_vegetable_cooperative_supplies_two_schools_and_a_supermarket(loaded):
    contracts = LinkageContract.objects.filter(seller__short_name="HTX Rau Lâm Thao")

    assert sorted(c.buyer.short_name for c in contracts) == [
        "MN Hoa Sen",
        "Siêu thị Xanh",
        "TH Lâm Thao",
    ]
    school = contracts.get(buyer__short_name="TH Lâm Thao")
    assert DeliveryReceipt.objects.filter(delivery__contract=school).count() == (
        school.deliveries.count()
    )
    assert services.health(school).startswith("On track")


def test_the_supermarket_contract_is_in_trouble_with_side_selling_visible(loaded):
    contract = LinkageContract.objects.get(buyer__short_name="Siêu thị Xanh")

    line = health_line(contract)
    seen = side_selling(contract)

    assert line.startswith("Behind: the window")
    assert "reached the contract" in line
    assert seen.percent < 50


def test_loading_the_demo_again_adds_nothing(loaded):
    before = ContractDelivery.objects.count()

    again = load_linkage_demo()

    assert ContractDelivery.objects.count() == before
    assert again["cinnamon"]["deliveries"] == 0

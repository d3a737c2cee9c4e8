"""Per member, what they produced against what reached the contract; the health line says when
much went elsewhere; the fulfilment page draws its chart as SVG."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.contracts import services
from coopchain.contracts.chart import fulfilment_chart
from coopchain.contracts.side_selling import health_line, side_selling
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.dairy import services as dairy
from coopchain.dairy.tests import factories as milk
from coopchain.dairy.tests.factories import make_centre, make_chart
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import MemberFactory
from coopchain.trace import services as ledger
from coopchain.trace.tests import factories as trace

TODAY = timezone.localdate


@pytest.fixture
def running(exporter, coop):
    today = TODAY()
    market_price(today - timedelta(days=40), 100_000)
    return make_contract(
        exporter,
        coop,
        quantity_kg=Decimal(4000),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        windows=[
            services.Window(today - timedelta(days=30), today - timedelta(days=1), Decimal(2000))
        ],
    )


def harvest(member, kg, days_ago=20):
    return trace.harvest(member, quantity=kg, harvested_on=TODAY() - timedelta(days=days_ago))


def deliver(contract, lot, kg, days_ago=10):
    return services.record_contract_delivery(
        contract=contract,
        lot=lot,
        quantity_kg=Decimal(kg),
        delivered_on=TODAY() - timedelta(days=days_ago),
        by=SYSTEM,
    )


def test_a_members_harvest_that_never_reached_the_contract_shows_as_gone_elsewhere(
    running, coop, member
):
    neighbour = MemberFactory(organization=coop, code="TV-002")
    deliver(running, harvest(member, 600), 600)
    harvest(neighbour, 900)  # sold to a trader at the farm gate
    deliver(running, harvest(neighbour, 100), 100)

    seen = side_selling(running)

    rows = {r.member.code: (r.produced_kg, r.reached_kg, r.gap_kg) for r in seen.rows}
    assert rows == {
        member.code: (Decimal(600), Decimal(600), Decimal(0)),
        "TV-002": (Decimal(1000), Decimal(100), Decimal(900)),
    }
    assert seen.rows[0].member == neighbour  # the largest gap first
    assert seen.percent == 44  # 700 of 1,600 kg


def test_harvest_lots_behind_a_processed_lot_count_as_reaching_the_contract(running, coop, member):
    cherry = harvest(member, 1000)
    green_epc = trace.lot_identifier(None, "GREEN-1")
    event = ledger.transformation_event(
        inputs=[ledger.Quantity(cherry.epc, Decimal(1000))],
        outputs=[ledger.Quantity(green_epc, Decimal(200))],
        event_time=timezone.now() - timedelta(days=15),
    )
    green = ledger.record_event(organization=coop, event=event).lot(green_epc)

    deliver(running, green, 200)

    seen = side_selling(running)
    assert [(r.produced_kg, r.reached_kg) for r in seen.rows] == [(Decimal(1000), Decimal(1000))]


def test_output_that_reached_another_contract_of_the_seller_is_not_side_selling(
    running, exporter, coop, member
):
    other = make_contract(
        exporter,
        coop,
        number="HĐ-02",
        starts_on=running.starts_on,
        ends_on=running.ends_on,
        windows=[],
    )
    deliver(running, harvest(member, 400), 400)
    deliver(other, harvest(member, 700), 700)
    stranger = MemberFactory(organization=coop, code="TV-077")
    harvest(stranger, 5000)  # supplies neither contract: not listed

    seen = side_selling(running)

    assert [(r.member, r.produced_kg, r.reached_kg) for r in seen.rows] == [
        (member, Decimal(400), Decimal(400))
    ]


def test_the_health_line_says_how_much_went_elsewhere(running, coop, member):
    harvest(member, 3000)
    deliver(running, harvest(member, 500), 500)

    line = health_line(running)

    assert line.startswith("Behind: the window")
    assert (
        "Only 14 % of what members produced reached the contract: 3,000 kg went elsewhere." in line
    )


def test_the_chart_draws_promised_and_delivered_lines_in_the_contracts_period(running, member):
    deliver(running, harvest(member, 500), 500, days_ago=10)

    chart = fulfilment_chart(running)

    assert chart.promised.startswith("64.0,")
    delivered = [tuple(map(float, p.split(","))) for p in chart.delivered.split()]
    assert delivered[0][1] == chart.bottom_edge  # nothing delivered at the start
    assert delivered[-1][1] < chart.bottom_edge  # 500 kg by today
    assert chart.today_x is not None


def test_the_fulfilment_page_shows_the_chart_and_members_to_the_cooperative_only(
    client, running, coop, member, manager, buyer
):
    harvest(member, 900)
    deliver(running, harvest(member, 100), 100)

    client.force_login(manager)
    seller_view = client.get(reverse("contracts:fulfilment", args=[running.pk])).content.decode()
    client.force_login(buyer)
    buyer_view = client.get(reverse("contracts:fulfilment", args=[running.pk])).content.decode()

    assert '<svg id="fulfilment-chart"' in seller_view
    assert "style=" not in seller_view.split('<svg id="fulfilment-chart"')[1].split("</svg>")[0]
    assert "Nguyễn Thị Đào" in seller_view
    assert "Nguyễn Thị Đào" not in buyer_view
    assert "Members produced 1,000 kg; 100 kg (10 %) reached the contract." in buyer_view


def test_milk_delivered_by_members_is_counted_against_the_bulk_lots_under_contract(
    exporter, coop, member
):
    today = TODAY()
    centre = make_centre(coop)
    make_chart(coop)
    neighbour = MemberFactory(organization=coop, code="TV-009")
    day = today - timedelta(days=2)
    milk.deliver(member, centre, on=day, quantity="20")
    milk.deliver(neighbour, centre, on=day, quantity="15")
    milk.deliver(neighbour, centre, on=today - timedelta(days=1), quantity="18")  # not shipped
    [bulk] = dairy.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)
    contract = make_contract(
        exporter,
        coop,
        commodity="Sữa bò tươi",
        price_kind="fixed",
        fixed_price=14_000,
        floor_price=None,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
        windows=[],
    )
    deliver(contract, bulk.lot, bulk.quantity_kg, days_ago=2)

    seen = side_selling(contract)

    assert seen.source == "milk"
    rows = {r.member.code: (r.produced_kg, r.reached_kg) for r in seen.rows}
    assert rows == {member.code: (20, 20), "TV-009": (33, 15)}


def test_the_contracts_list_says_in_one_line_how_far_behind_and_how_much_reached_it(
    client, running, member, manager
):
    harvest(member, 3000)
    deliver(running, harvest(member, 500), 500)
    client.force_login(manager)

    listing = client.get(reverse("contracts:list")).content.decode()

    assert (
        "received 25 % of what was promised. Only 14 % of what members produced reached the "
        "contract: 3,000 kg went elsewhere." in listing
    )


def test_the_contracts_list_gives_the_share_that_reached_the_contract_when_most_did(
    client, running, member, manager
):
    harvest(member, 100)
    deliver(running, harvest(member, 1900), 1900)
    client.force_login(manager)

    listing = client.get(reverse("contracts:list")).content.decode()

    assert "95 % of what members produced reached the contract." in listing


def test_the_contracts_list_says_nothing_of_a_share_no_harvest_tells(client, running, manager):
    client.force_login(manager)

    listing = client.get(reverse("contracts:list")).content.decode()

    assert "Behind: the window" in listing
    assert "reached the contract" not in listing

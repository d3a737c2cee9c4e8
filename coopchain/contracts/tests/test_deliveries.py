"""Deliveries against a contract: priced from its terms, shipped through the ledger, counted
against its windows."""

from datetime import date
from decimal import Decimal

import pytest

from coopchain.contracts import services
from coopchain.contracts.models import LinkageContract
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.errors import Conflict, InvalidInput
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Event
from coopchain.trace.tests import factories as trace


def deliver(contract, lot, kg, on=date(2025, 11, 12), grade=None, by=SYSTEM):
    return services.record_contract_delivery(
        contract=contract,
        lot=lot,
        quantity_kg=Decimal(kg),
        delivered_on=on,
        grade=contract.grades.get(code=grade) if grade else None,
        by=by,
    )


@pytest.fixture
def prices():
    market_price(date(2025, 11, 10), 110000)
    market_price(date(2026, 1, 5), 80000)


def test_a_delivery_is_priced_from_the_terms_on_its_date(contract, member, prices, staff):
    lot = trace.harvest(member, quantity=2000)

    delivery = deliver(contract, lot, "1500.5", grade="G1", by=staff)

    # 110,000 × 1.06 = 116,600, + 2,000 for grade 1
    assert delivery.price_per_kg == 118600
    assert delivery.amount == 177_959_300
    assert delivery.member == member
    assert [line["code"] for line in delivery.price_lines] == ["market", "percent", "grade"]
    contract.refresh_from_db()
    assert contract.status == LinkageContract.Status.ACTIVE


def test_the_floor_protects_the_farmer_when_the_market_falls(contract, member, prices):
    delivery = deliver(contract, trace.harvest(member), 1000, on=date(2026, 1, 20))

    assert delivery.price_per_kg == 90000
    assert delivery.price_lines[-1]["code"] == "floor"


def test_the_delivery_ships_the_lot_to_the_buyer_in_the_ledger(contract, member, prices):
    lot = trace.harvest(member)

    deliver(contract, lot, 500)

    shipped = Event.objects.get(biz_step="shipping", event_objects__lot=lot)
    assert shipped.document["destinationList"][0]["destination"] == organization_uri(contract.buyer)


def test_a_contract_without_both_signatures_takes_no_delivery(exporter, coop, member, prices):
    contract = make_contract(exporter, coop, signed=False)
    services.sign_contract(contract=contract, side="buyer", by=SYSTEM)

    with pytest.raises(Conflict, match="both parties have signed"):
        deliver(contract, trace.harvest(member), 500)


def test_a_lot_already_delivered_is_refused(contract, exporter, coop, member, prices):
    lot = trace.harvest(member)
    deliver(contract, lot, 500)
    second = make_contract(exporter, coop, number="HĐ-02/2025")

    with pytest.raises(Conflict, match=r"already delivered under contract HĐ-01/2025"):
        deliver(second, lot, 500)


def test_a_lot_of_another_organization_is_refused(contract, other_coop, prices):
    from coopchain.parties.tests.factories import MemberFactory

    foreign = trace.harvest(MemberFactory(organization=other_coop))

    with pytest.raises(InvalidInput) as refused:
        deliver(contract, foreign, 500)

    assert refused.value.errors[0].field == "lot_id"


def test_fulfilment_counts_each_window_and_what_goes_beyond_the_contract(contract, member, prices):
    deliver(contract, trace.harvest(member), 4500, on=date(2025, 11, 12))
    deliver(contract, trace.harvest(member), 1000, on=date(2026, 1, 20))
    beyond = deliver(contract, trace.harvest(member), 5000, on=date(2026, 1, 21))

    seen = services.fulfilment(contract)

    assert [(w.promised_kg, w.delivered_kg, w.percent) for w in seen.windows] == [
        (Decimal(6000), Decimal(4500), 75),
        (Decimal(4000), Decimal(6000), 150),
    ]
    assert seen.total.delivered_kg == Decimal(10500)
    assert seen.total.percent == 105
    assert beyond.beyond_contract


def test_advances_are_recovered_from_deliveries_up_to_their_share(contract, member, prices):
    LinkageContract.objects.filter(pk=contract.pk).update(recovery_percent=Decimal(30))
    contract.refresh_from_db()
    services.add_advance(
        contract=contract,
        kind="inputs",
        provided_on=date(2025, 10, 5),
        description="Phân bón hữu cơ",
        amount=50_000_000,
        by=SYSTEM,
    )

    first = deliver(contract, trace.harvest(member), 1000)  # 116,600,000 → 30 % is 34,980,000
    second = deliver(contract, trace.harvest(member), 1000)

    assert first.recovered == 34_980_000
    assert second.recovered == 15_020_000
    assert services.fulfilment(contract).advances_outstanding == 0


def test_a_delivery_outside_the_contracts_period_is_refused(contract, member, prices):
    with pytest.raises(InvalidInput, match="outside the contract's period"):
        deliver(contract, trace.harvest(member), 500, on=date(2026, 4, 2))

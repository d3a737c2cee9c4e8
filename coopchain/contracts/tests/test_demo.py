"""The contract demo: the Ea Tul coffee contract at market +6 % with a floor, the Ba Vì milk
contract, members' passbooks and a draft payment run — loaded with the whole demo, fast, once."""

from datetime import date

import pytest

from coopchain.contracts import selectors, services
from coopchain.contracts.demo import COFFEE_CONTRACT, load_contracts_demo
from coopchain.contracts.models import ContractDelivery, LedgerEntry, LinkageContract, PaymentRun
from coopchain.parties.demo import DAIRY, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from coopchain.parties.admin_units import load_admin_units
    from coopchain.parties.models import AdminUnit

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        load_demo()
        load_contracts_demo()  # loaded by load_demo already: nothing more
        counts = (ContractDelivery.objects.count(), LedgerEntry.objects.count())
        again = load_contracts_demo()
    yield {"again": again, "counts": counts}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_coffee_contract_pays_the_market_plus_six_percent_above_its_floor(demo):
    contract = LinkageContract.objects.get(number=COFFEE_CONTRACT)
    [delivery] = contract.deliveries.all()

    assert contract.status == LinkageContract.Status.ACTIVE
    # The market on 8 December 2025: 122,600 × 1.06 = 129,956, plus 1,500 for grade 1.
    assert delivery.price_per_kg == 131_456
    assert services.price_on(contract, date(2026, 3, 2)).per_kg == 100_000  # the floor


def test_the_coffee_contract_is_visibly_behind(demo):
    contract = LinkageContract.objects.get(number=COFFEE_CONTRACT)

    seen = services.fulfilment(contract)

    assert seen.windows[0].percent < 25
    assert seen.windows[1].delivered_kg == 0


def test_the_milk_contract_has_the_shipped_bulk_lots_as_deliveries(demo):
    contract = LinkageContract.objects.get(number__startswith="HĐLK-TV/BV-")

    assert contract.deliveries.count() > 10
    assert {d.price_per_kg for d in contract.deliveries.all()} == {14_000}


def test_ba_vi_members_passbooks_hold_their_milk_bills_and_a_run_is_ready(demo):
    from coopchain.parties.demo import ORGANIZATION_PLANS

    run = PaymentRun.objects.get(organization__tax_code=ORGANIZATION_PLANS[DAIRY].tax_code)
    line = run.lines.first()

    assert run.status == PaymentRun.Status.DRAFT
    assert line.pay == sum(item["amount"] for item in line.explanation)
    assert selectors.balance(line.member) > 0


def test_loading_again_adds_nothing(demo):
    assert (ContractDelivery.objects.count(), LedgerEntry.objects.count()) == demo["counts"]
    assert demo["again"]["coffee"]["deliveries"] == demo["again"]["milk"]["deliveries"] == 0

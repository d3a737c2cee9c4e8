"""A contract's health in one line: signatures awaited, on track, or behind in a past window."""

from datetime import date
from decimal import Decimal

from coopchain.contracts import services
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.tests import factories as trace


def test_a_draft_waits_for_the_missing_signature(exporter, coop):
    draft = make_contract(exporter, coop, signed=False)
    contract = services.sign_contract(contract=draft, side="buyer", by=SYSTEM)

    assert services.health(contract) == (
        "Waiting for the other party's signature (signed by the buyer)."
    )


def test_a_contract_whose_past_window_fell_short_is_behind(contract, member):
    market_price(date(2025, 11, 10), 100000)
    services.record_contract_delivery(
        contract=contract,
        lot=trace.harvest(member),
        quantity_kg=Decimal(1500),
        delivered_on=date(2025, 11, 12),
        by=SYSTEM,
    )

    assert (
        services.health(contract, date(2025, 12, 15))
        == "On track: 15 % of the contracted quantity delivered."
    )
    assert services.health(contract, date(2026, 1, 5)) == (
        "Behind: the window 01/10/2025–31/12/2025 received 25 % of what was promised."
    )

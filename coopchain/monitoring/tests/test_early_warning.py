from datetime import date
from decimal import Decimal

import pytest

from coopchain.contracts import services as contracts
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.monitoring.selectors import standing
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties import services as parties
from coopchain.parties.models import Membership
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import EnterpriseFactory, MemberFactory
from coopchain.trace.tests.factories import harvest

pytestmark = pytest.mark.django_db


def codes(organization, on):
    return [a.code for a in standing(organization, on=on).alerts]


def test_a_healthy_cooperative_raises_no_warning(coop):
    report(coop, 2025, 1, **strong())
    report(coop, 2025, 2, **strong())

    assert codes(coop, date(2026, 1, 15)) == []


def test_losses_two_half_years_running_are_a_warning_that_names_both_periods(coop):
    report(coop, 2025, 1, **strong(revenue=1_000, cost=2_000))
    report(coop, 2025, 2, **strong(revenue=1_000, cost=1_500))

    alerts = standing(coop, on=date(2026, 1, 15)).alerts

    losses = next(a for a in alerts if a.code == "losses")
    assert "2025 H1" in losses.reason
    assert "2025 H2" in losses.reason
    assert losses.next_step


def test_one_loss_after_a_profit_is_not_yet_a_warning(coop):
    report(coop, 2025, 1, **strong())
    report(coop, 2025, 2, **strong(revenue=1_000, cost=1_500))

    assert "losses" not in codes(coop, date(2026, 1, 15))


def test_members_leaving_in_the_last_year_is_a_warning_with_the_counts(coop):
    households = MemberFactory.create_batch(5, organization=coop, joined_on=date(2022, 1, 1))
    for household in households[:2]:
        Membership.objects.filter(member=household).update(left_on=date(2025, 10, 1))
    report(coop, 2025, 2, **strong())

    alerts = standing(coop, on=date(2026, 1, 15)).alerts

    [falling] = [a for a in alerts if a.code == "members_falling"]
    assert "from 5 to 3" in falling.reason


def test_no_report_for_a_year_is_a_warning(coop):
    report(coop, 2024, 1, **strong())

    assert "no_report" in codes(coop, date(2026, 1, 15))


def test_a_suspended_cooperative_is_at_risk_and_a_dissolved_one_is_not_listed(coop, other_coop):
    report(coop, 2025, 2, **strong())
    parties.change_organization_status(
        organization=coop, status="suspended", effective_on=date(2026, 1, 2)
    )
    parties.change_organization_status(
        organization=other_coop, status="dissolved", effective_on=date(2026, 1, 2)
    )

    suspended = standing(coop, on=date(2026, 1, 15))

    assert "suspended" in [a.code for a in suspended.alerts]
    assert suspended.at_risk
    assert standing(other_coop, on=date(2026, 1, 15)).alerts == []


def test_selling_without_a_linkage_contract_and_borrowing_beyond_capital_are_warnings(coop):
    report(coop, 2025, **strong(linkage_output_value=0, loans=900_000_000))

    found = codes(coop, date(2026, 1, 15))

    assert "no_linkage" in found
    assert "capital_shortfall" in found


def test_a_contract_window_ended_with_too_little_delivered_is_a_warning(coop, member):
    contract = make_contract(EnterpriseFactory(), coop)
    market_price(date(2025, 11, 10), 110000)
    contracts.record_contract_delivery(
        contract=contract,
        lot=harvest(member, quantity=2000),
        quantity_kg=Decimal(1500),
        delivered_on=date(2025, 11, 12),
        grade=None,
        by=SYSTEM,
    )
    report(coop, 2025, 2, **strong())

    [behind] = [
        a for a in standing(coop, on=date(2026, 1, 15)).alerts if a.code == "deliveries_behind"
    ]

    assert "Delivered 1.500 of 6.000 kg under contract HĐ-01/2025 by 31/12/2025" in behind.reason
    assert "deliveries_behind" not in codes(coop, date(2025, 12, 20))

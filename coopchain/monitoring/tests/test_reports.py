from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from coopchain.contracts import services as contracts
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.dairy import services as dairy
from coopchain.dairy.tests.factories import deliver, make_centre, make_chart
from coopchain.errors import InvalidInput, NotFound
from coopchain.monitoring import services
from coopchain.monitoring.models import CooperativeReport
from coopchain.monitoring.prefill import prefill
from coopchain.monitoring.tests.factories import report
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import EnterpriseFactory, MemberFactory
from coopchain.trace.tests.factories import harvest

pytestmark = pytest.mark.django_db


def test_members_are_counted_from_the_membership_register_at_the_end_of_the_period(coop):
    MemberFactory.create_batch(3, organization=coop, joined_on=date(2024, 2, 1))
    MemberFactory(organization=coop, joined_on=date(2025, 8, 1))

    first_half = prefill(coop, year=2025, half=1)
    whole_year = prefill(coop, year=2025, half=0)

    assert (first_half["members"].value, first_half["members"].source) == (3, "membership register")
    assert whole_year["members"].value == 4


def test_traceability_counts_as_in_use_in_a_period_with_ledger_events(coop, member):
    harvest(member, at=datetime(2025, 11, 3, 7, 0, tzinfo=UTC))

    assert prefill(coop, year=2025, half=2)["traceability_in_use"].value is True
    assert prefill(coop, year=2025, half=1)["traceability_in_use"].value is False


def test_milk_revenue_is_prefilled_from_the_bills_of_the_period(coop, member):
    centre = make_centre(coop)
    make_chart(coop)
    day = date(2025, 3, 10)
    deliver(member, centre, on=day, quantity="20")
    [bill] = dairy.generate_bills(organization=coop, start=day, end=day, by=SYSTEM)

    figures = prefill(coop, year=2025, half=1)

    assert figures["revenue"].value == bill.gross > 0
    assert figures["revenue"].source == "milk bills"
    assert "revenue" not in prefill(coop, year=2025, half=2)


def test_output_through_linkage_contracts_is_prefilled_from_deliveries_of_the_period(coop, member):
    contract = make_contract(EnterpriseFactory(), coop)
    market_price(date(2025, 11, 10), 110000)
    delivery = contracts.record_contract_delivery(
        contract=contract,
        lot=harvest(member, quantity=2000),
        quantity_kg=Decimal(1000),
        delivered_on=date(2025, 11, 12),
        grade=None,
        by=SYSTEM,
    )

    figures = prefill(coop, year=2025, half=2)

    assert figures["linkage_output_value"].value == delivery.amount > 0
    assert figures["linkage_output_value"].source == "linkage contract deliveries"
    assert "linkage_output_value" not in prefill(coop, year=2025, half=1)


def test_a_submitted_report_keeps_where_each_figure_came_from(coop):
    MemberFactory.create_batch(2, organization=coop, joined_on=date(2024, 2, 1))

    filled = report(coop, 2025, 1, revenue=900_000_000, cost=800_000_000)
    typed = report(coop, 2025, 2, members=5)

    assert filled.members == 2
    assert filled.sources["members"] == "membership register"
    assert filled.sources["revenue"] == "entered"
    assert filled.profit == 100_000_000
    assert typed.members == 5
    assert typed.sources["members"] == "entered"


def test_a_correction_is_a_new_version_and_the_first_is_kept(coop):
    first = report(coop, 2025, 1, revenue=100)
    second = report(coop, 2025, 1, revenue=120)

    assert (first.version, second.version) == (1, 2)
    assert CooperativeReport.objects.get(pk=first.pk).revenue == 100
    first.revenue = 999
    with pytest.raises(ValueError, match="never changed"):
        first.save()


def test_a_report_with_impossible_figures_is_refused_with_each_reason(coop):
    with pytest.raises(InvalidInput) as refused:
        report(coop, 2025, 1, output_value=100, linkage_output_value=200, ocop_stars=6, loans=-1)

    assert {e.field for e in refused.value.errors} == {
        "linkage_output_value",
        "ocop_stars",
        "loans",
    }


def test_another_cooperatives_manager_cannot_submit_its_report(coop, other_manager):
    with pytest.raises(NotFound):
        services.submit_report(
            organization=coop, year=2025, half=1, data=services.ReportData(), by=other_manager
        )

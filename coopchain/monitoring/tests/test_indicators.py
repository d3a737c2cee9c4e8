"""The kept indicators: what `refresh_indicators` writes equals what the records say, the
dashboard reads them instead of counting households and deliveries, and a change to the
records is never hidden behind a kept row."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coopchain.contracts import services as contracts
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.monitoring.indicators import kept_figures, live_figures, refresh_indicators
from coopchain.monitoring.models import REPORT_FIELDS, CooperativeIndicators, CooperativeReport
from coopchain.monitoring.selectors import current_versions, province_dashboard
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties import services as parties
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    MemberFactory,
)
from coopchain.trace.tests.factories import harvest

pytestmark = pytest.mark.django_db

ON = date(2026, 1, 15)


def deliver(contract, member, kg, on):
    contracts.record_contract_delivery(
        contract=contract,
        lot=harvest(member, quantity=int(kg)),
        quantity_kg=Decimal(kg),
        delivered_on=on,
        grade=None,
        by=SYSTEM,
    )


@pytest.fixture
def province(coop):
    """Three cooperatives of Đắk Lắk: one with households leaving and a contract window behind,
    one delivering in full, one with nothing recorded."""
    behind = coop
    households = MemberFactory.create_batch(4, organization=behind, joined_on=date(2022, 1, 1))
    MemberFactory(organization=behind, joined_on=date(2025, 6, 1))
    for household in households[:2]:
        parties.record_member_leaving(
            member=household, left_on=date(2025, 9, 1), reason="moved away", by=SYSTEM
        )
    market_price(date(2025, 11, 10), 110_000)
    late = make_contract(EnterpriseFactory(), behind)
    deliver(late, households[2], 1_500, date(2025, 11, 12))

    full = CooperativeFactory(name="HTX Đủ hàng", province_code="66")
    grower = MemberFactory(organization=full, joined_on=date(2021, 3, 1))
    on_time = make_contract(EnterpriseFactory(), full, number="HĐ-02/2025")
    deliver(on_time, grower, 5_000, date(2025, 12, 1))

    empty = CooperativeFactory(name="HTX Mới", province_code="66")
    for cooperative in (behind, full, empty):
        report(cooperative, 2025, 2, **strong())
    return {"behind": behind, "full": full, "empty": empty, "late": late, "grower": grower}


def cooperatives_of_66():
    return Organization.objects.filter(province_id="66", kind=Organization.Kind.COOPERATIVE)


def as_numbers(figures):
    return {
        pk: (
            f.members_now,
            f.members_year_before,
            [(w.pk, w.contract.number, w.quantity_kg, kg) for w, kg in f.behind[:1]],
        )
        for pk, f in figures.items()
    }


def dashboard_as_numbers(dashboard):
    return [
        (s.organization.pk, s.risk, [(a.code, a.reason) for a in s.alerts])
        for s in dashboard.standings
    ]


def test_kept_figures_equal_the_figures_counted_from_the_records(province):
    coops = list(cooperatives_of_66())
    written = refresh_indicators(organizations=cooperatives_of_66(), on=ON)

    assert written == 3
    assert CooperativeIndicators.objects.filter(as_of=ON).count() == 3
    assert as_numbers(kept_figures(coops, on=ON)) == as_numbers(live_figures(coops, on=ON))
    kept = CooperativeIndicators.objects.get(organization=province["behind"])
    assert (kept.members_now, kept.members_year_before) == (3, 4)
    assert kept.behind_delivered == Decimal(1_500)
    assert CooperativeIndicators.objects.get(organization=province["full"]).behind_window_id is None


def test_the_dashboard_from_kept_figures_equals_the_dashboard_counted_from_the_records(province):
    counted = dashboard_as_numbers(province_dashboard("66", on=ON))
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)

    kept = dashboard_as_numbers(province_dashboard("66", on=ON))

    assert kept == counted
    behind = next(alerts for pk, _risk, alerts in kept if pk == province["behind"].pk)
    assert ("members_falling", "Members fell from 4 to 3 in the last 12 months.") in behind
    assert any(code == "deliveries_behind" for code, _reason in behind)


def test_the_dashboard_reads_kept_figures_without_counting_households_or_deliveries(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)

    with CaptureQueriesContext(connection) as queries:
        province_dashboard("66", on=ON)

    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "parties_membership" not in read
    assert "contracts_contractdelivery" not in read


def test_kept_figures_are_for_their_day_only(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    later = date(2026, 9, 1)

    assert as_numbers(kept_figures(list(cooperatives_of_66()), on=later)) == as_numbers(
        live_figures(cooperatives_of_66(), on=later)
    )


def test_a_household_leaving_drops_the_kept_row_and_the_dashboard_still_counts_it(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    grower = province["grower"]

    parties.record_member_leaving(
        member=grower, left_on=date(2026, 1, 10), reason="retired", by=SYSTEM
    )

    assert not CooperativeIndicators.objects.filter(organization=province["full"]).exists()
    assert CooperativeIndicators.objects.filter(organization=province["behind"]).exists()
    full = next(
        s for s in province_dashboard("66", on=ON).standings if s.organization == province["full"]
    )
    assert "members_falling" in [a.code for a in full.alerts]
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    coops = list(cooperatives_of_66())
    assert as_numbers(kept_figures(coops, on=ON)) == as_numbers(live_figures(coops, on=ON))
    assert CooperativeIndicators.objects.get(organization=province["full"]).members_now == 0


def test_a_delivery_drops_the_kept_row_and_catching_up_clears_the_warning(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    late = province["late"]
    member = province["behind"].members.first()

    deliver(late, member, 3_500, date(2025, 12, 20))

    assert not CooperativeIndicators.objects.filter(organization=province["behind"]).exists()
    behind = next(
        s for s in province_dashboard("66", on=ON).standings if s.organization == province["behind"]
    )
    assert "deliveries_behind" not in [a.code for a in behind.alerts]
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    coops = list(cooperatives_of_66())
    assert as_numbers(kept_figures(coops, on=ON)) == as_numbers(live_figures(coops, on=ON))


def test_the_command_keeps_every_cooperative_of_the_province(province, other_coop):
    call_command("refresh_indicators", "--province", "66", "--on", ON.isoformat())

    kept = set(CooperativeIndicators.objects.values_list("organization_id", flat=True))
    assert kept == {c.pk for c in cooperatives_of_66()}


def test_the_dashboard_reads_every_figure_of_every_report_as_the_orm_does(province):
    report(province["full"], 2025, 2, **strong(revenue=5, note="corrected"))
    dashboard = province_dashboard("66", on=ON)

    for s in dashboard.standings:
        stored = current_versions(
            list(CooperativeReport.objects.filter(organization=s.organization))
        )
        assert [(r.pk, r.period_label, r.version) for r in s.reports] == [
            (r.pk, r.period_label, r.version) for r in stored
        ]
        for read, kept in zip(s.reports, stored, strict=True):
            assert {f: getattr(read, f) for f in REPORT_FIELDS} == {
                f: getattr(kept, f) for f in REPORT_FIELDS
            }
            assert (read.note, read.sources) == (kept.note, kept.sources)

"""The kept ratings year by year: what `refresh_indicators` writes equals the ratings computed
from the reports, the dashboard's trend reads them instead of rating every cooperative again,
and a new report or a change to the cooperative is never hidden behind a kept row."""

from datetime import date
from decimal import Decimal

import pytest

from coopchain.monitoring import services
from coopchain.monitoring.drilldown import target_trends
from coopchain.monitoring.indicators import (
    kept_year_ratings,
    live_year_ratings,
    refresh_indicators,
)
from coopchain.monitoring.models import CooperativeYearRating, ProvinceTarget
from coopchain.monitoring.rating import Grade
from coopchain.monitoring.selectors import COOPERATIVE_KINDS, province_dashboard
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 2, 1)


def cooperatives_of_66():
    return Organization.objects.filter(province_id="66", kind__in=COOPERATIVE_KINDS)


@pytest.fixture
def province():
    """Đắk Lắk with cooperatives that rate differently year by year: one strong throughout
    (with a corrected report), one falling into losses by halves, one young, one suspended."""
    rising = CooperativeFactory(name="HTX Lên", province_code="66")
    report(rising, 2023, **strong(revenue=1_000_000_000, cost=1_200_000_000))
    report(rising, 2024, **strong())
    report(rising, 2024, **strong(members=80))  # a correction: version 2
    report(rising, 2025, **strong())
    falling = CooperativeFactory(name="HTX Xuống", province_code="66")
    report(falling, 2023, **strong())
    report(falling, 2024, 1, **strong(revenue=100, cost=300))
    report(falling, 2024, 2, **strong(revenue=100, cost=300))
    report(falling, 2025, 1, revenue=100, cost=300)
    young = CooperativeFactory(name="HTX Mới", province_code="66", founded_on=date(2025, 3, 1))
    report(young, 2025, **strong())
    suspended = CooperativeFactory(
        name="HTX Nghỉ", province_code="66", status=Organization.Status.SUSPENDED
    )
    report(suspended, 2024, **strong())
    services.set_province_target(
        province=AdminUnit.objects.get(code="66"), code="good", title="Good or fair",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.GOOD_SHARE,
        target_percent=Decimal(50), due_year=2030,
    )  # fmt: skip
    return {"rising": rising, "falling": falling, "young": young, "suspended": suspended}


def good_trend() -> list[tuple[int, Decimal | None]]:
    (trend,) = target_trends(province_dashboard("66", on=ON))
    return trend.points


def test_the_kept_ratings_equal_the_ratings_from_the_reports(province):
    written = refresh_indicators(organizations=cooperatives_of_66(), on=ON)

    kept = kept_year_ratings(list(cooperatives_of_66().values_list("pk", flat=True)))

    assert written == 4
    assert kept == live_year_ratings(cooperatives_of_66())
    assert len(kept) == 3 + 3 + 1 + 1
    assert kept[(province["young"].pk, 2025)] == (Grade.NOT_RATED, None)
    assert kept[(province["suspended"].pk, 2024)] == (Grade.INACTIVE, None)
    assert kept[(province["rising"].pk, 2025)][0] == Grade.GOOD


def test_the_trend_is_the_same_from_kept_rows_as_from_the_reports(province):
    from_reports = good_trend()
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)

    from_kept = good_trend()

    assert CooperativeYearRating.objects.count() == 8
    assert from_kept == from_reports
    assert [year for year, _value in from_kept] == [2023, 2024, 2025]


def test_the_trend_reads_the_kept_rows(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    before = dict(good_trend())
    # A row changed behind the signals' back shows the trend reads it rather than rating again.
    CooperativeYearRating.objects.filter(organization=province["falling"], year=2025).update(
        grade=Grade.GOOD, score=90
    )

    after = dict(good_trend())

    assert after[2025] != before[2025]
    assert after[2023] == before[2023]


def test_a_new_report_drops_only_that_cooperatives_kept_ratings(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    before = dict(good_trend())

    report(province["falling"], 2025, 2, **strong())

    assert not CooperativeYearRating.objects.filter(organization=province["falling"]).exists()
    assert CooperativeYearRating.objects.filter(organization=province["rising"]).count() == 3
    after = good_trend()
    assert dict(after)[2025] != before[2025]
    assert after == good_trend_without_kept_rows()


def good_trend_without_kept_rows() -> list[tuple[int, Decimal | None]]:
    kept = list(CooperativeYearRating.objects.all())
    CooperativeYearRating.objects.all().delete()
    try:
        return good_trend()
    finally:
        CooperativeYearRating.objects.bulk_create(kept)


def test_a_cooperative_suspended_after_the_refresh_is_not_rated_from_its_kept_rows(province):
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    rising = province["rising"]

    rising.status = Organization.Status.SUSPENDED
    rising.save()

    assert not CooperativeYearRating.objects.filter(organization=rising).exists()
    refresh_indicators(organizations=cooperatives_of_66(), on=ON)
    assert kept_year_ratings([rising.pk])[(rising.pk, 2025)] == (Grade.INACTIVE, None)

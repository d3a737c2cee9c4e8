from datetime import date

import pytest

from coopchain.monitoring.rating import CRITERIA, TOTAL_POINTS, Grade, grade_for
from coopchain.monitoring.selectors import standing
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties import services as parties
from coopchain.parties.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def test_the_criteria_add_up_to_100_points_with_finance_and_governance_30_each():
    by_group: dict[str, int] = {}
    for criterion, _measure in CRITERIA:
        by_group[str(criterion.group)] = (
            by_group.get(str(criterion.group), 0) + criterion.max_points
        )

    assert TOTAL_POINTS == 100
    assert by_group["Finance"] == 30
    assert by_group["Governance and members"] == 30


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, Grade.GOOD),
        (80, Grade.GOOD),
        (79, Grade.FAIR),
        (65, Grade.FAIR),
        (64, Grade.AVERAGE),
        (50, Grade.AVERAGE),
        (49, Grade.WEAK),
        (0, Grade.WEAK),
    ],
)
def test_grades_change_exactly_at_80_65_and_50_points(score, grade):
    assert grade_for(score) == grade


def test_a_strong_cooperative_growing_on_last_year_is_rated_good_with_full_marks(coop):
    report(coop, 2024, **strong(revenue=3_600_000_000))
    report(coop, 2025, **strong())

    rating = standing(coop, on=date(2026, 3, 1)).rating

    assert (rating.grade, rating.score) == (Grade.GOOD, 100)
    assert rating.advice == []


def test_a_cooperative_under_12_months_old_is_not_rated(db):
    young = CooperativeFactory(founded_on=date(2025, 3, 1))
    report(young, 2025, 2, **strong())

    rating = standing(young, on=date(2026, 1, 10)).rating

    assert rating.grade == Grade.NOT_RATED
    assert rating.score is None
    assert "12 months" in rating.reason


def test_a_cooperative_12_months_old_at_the_end_of_the_period_is_rated(db):
    founded = CooperativeFactory(founded_on=date(2024, 12, 31))
    report(founded, 2025, **strong())

    assert standing(founded, on=date(2026, 1, 10)).rating.score is not None


def test_a_weak_cooperative_sees_what_would_raise_its_rating_biggest_gain_first(coop):
    report(coop, 2025, revenue=500_000_000, cost=600_000_000, members=6, output_value=500_000_000)

    rating = standing(coop, on=date(2026, 1, 10)).rating

    assert rating.grade == Grade.WEAK
    advice = [s.criterion.code for s in rating.advice]
    assert {"linkage", "profit", "traceability", "brand", "ocop"} <= set(advice)
    gains = [s.gain for s in rating.advice]
    assert gains == sorted(gains, reverse=True)
    assert sum(s.points for s in rating.scores) == rating.score


def test_suspended_and_dissolved_cooperatives_are_not_scored(coop, other_coop):
    report(coop, 2025, **strong())
    report(other_coop, 2025, **strong())
    parties.change_organization_status(
        organization=coop, status="suspended", effective_on=date(2026, 1, 2)
    )
    parties.change_organization_status(
        organization=other_coop, status="dissolved", effective_on=date(2026, 1, 2)
    )

    assert standing(coop).rating.grade == Grade.INACTIVE
    assert standing(other_coop).rating.grade == Grade.DISSOLVED

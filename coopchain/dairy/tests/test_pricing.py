"""Prices from a rate chart: the base, the total-solids grade, the bacteria penalty, in whole
dong; and the chart that applies on a day at a centre."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopchain.dairy import pricing, services
from coopchain.dairy.tests.factories import deliver, make_centre, make_chart
from coopchain.errors import InvalidInput
from coopchain.parties.tenancy import SYSTEM

D = Decimal
CHART = pricing.Chart(
    base_price=14000,
    solids_grades=[(D("11.0"), -700), (D("11.5"), 0), (D("12.0"), 250), (D("13.0"), 700)],
    bacteria_grades=[(350_000, 300), (1_000_000, 600), (3_000_000, 900)],
)


@pytest.mark.parametrize(
    ("solids", "bacteria", "per_kg"),
    [
        (D("12.4"), None, 14250),
        (D("12.0"), None, 14250),
        (D("11.99"), None, 14000),
        (D("13.2"), 350_000, 14700),
        (D("13.2"), 350_001, 14400),
        (D("11.2"), 2_000_000, 12700),
        (D("10.5"), 5_000_000, 12400),
        (None, None, 14000),
    ],
)
def test_price_per_kg_from_grades_and_penalties(solids, bacteria, per_kg):
    assert pricing.price_per_kg(CHART, total_solids=solids, plate_count=bacteria).per_kg == per_kg


def test_each_price_line_explains_a_part_of_the_price():
    price = pricing.price_per_kg(CHART, total_solids=D("12.4"), plate_count=1_200_000)
    assert [(line["code"], line["amount"]) for line in price.lines] == [
        ("base", 14000),
        ("solids", 250),
        ("bacteria", -600),
    ]
    assert sum(line["amount"] for line in price.lines) == price.per_kg


@pytest.mark.parametrize(
    ("kg", "per_kg", "amount"),
    [("20.00", 14250, 285000), ("0.03", 14250, 428), ("0.01", 14250, 143), ("12.34", 0, 0)],
)
def test_the_amount_is_rounded_half_up_to_the_dong(kg, per_kg, amount):
    # 0.03 × 14,250 = 427.5 → 428; 0.01 × 14,250 = 142.5 → 143.
    assert pricing.amount(D(kg), per_kg) == amount


grades = st.lists(
    st.tuples(
        st.decimals(min_value=9, max_value=15, places=2),
        st.integers(min_value=-2000, max_value=2000),
    ),
    max_size=6,
    unique_by=lambda g: g[0],
)


def monotone(values):
    ordered = sorted(values)
    adjustments = sorted(a for _m, a in ordered)
    return [(m, a) for (m, _), a in zip(ordered, adjustments, strict=True)]


@given(
    base=st.integers(min_value=1, max_value=30000),
    solids=grades,
    penalty=st.integers(min_value=0, max_value=40000),
    low=st.decimals(min_value=8, max_value=16, places=2),
    step=st.decimals(min_value=0, max_value=3, places=2),
    bacteria=st.one_of(st.none(), st.integers(min_value=0, max_value=10**8)),
)
def test_price_is_monotone_in_total_solids_and_never_negative(
    base, solids, penalty, low, step, bacteria
):
    chart = pricing.Chart(
        base_price=base, solids_grades=monotone(solids), bacteria_grades=[(350_000, penalty)]
    )
    lower = pricing.price_per_kg(chart, total_solids=low, plate_count=bacteria).per_kg
    higher = pricing.price_per_kg(chart, total_solids=low + step, plate_count=bacteria).per_kg
    assert 0 <= lower <= higher


@pytest.mark.django_db
def test_a_chart_where_more_solids_pay_less_is_refused(coop):
    with pytest.raises(InvalidInput) as refused:
        make_chart(coop, solids_grades=[(D("12"), 500), (D("13"), 200)])
    assert refused.value.errors[0].field == "solids_grades"


@pytest.mark.django_db
def test_the_centres_own_chart_in_force_on_the_day_applies(coop, member):
    centre = make_centre(coop, "TG01")
    other = make_centre(coop, "TG02")
    make_chart(coop, name="old", valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31))
    make_chart(coop, name="cooperative", valid_from=date(2021, 1, 1))
    make_chart(coop, name="centre", valid_from=date(2021, 1, 1), centre=centre, base_price=15000)

    assert services.chart_for(coop, centre, date(2022, 5, 1)).name == "centre"
    assert services.chart_for(coop, other, date(2022, 5, 1)).name == "cooperative"
    assert services.chart_for(coop, other, date(2020, 5, 1)).name == "old"
    assert services.chart_for(coop, other, date(2019, 5, 1)) is None


@pytest.mark.django_db
def test_a_members_recent_bacteria_count_grades_their_next_deliveries(coop, member):
    centre = make_centre(coop)
    make_chart(coop)
    first = deliver(member, centre, shift="morning")
    services.record_lab_test(
        organization=coop,
        delivery=first,
        sampled_on=first.collection_day,
        plate_count=1_500_000,
        by=SYSTEM,
    )

    later = deliver(member, centre, shift="evening")

    assert first.price_per_kg == 14250
    assert later.price_per_kg == 14250 - 600
    assert [line["code"] for line in later.price_lines] == ["base", "solids", "bacteria"]

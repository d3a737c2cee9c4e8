"""Each price term against worked examples, and the floor and ceiling as an invariant."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopchain.contracts import services
from coopchain.contracts.pricing import Terms, price_per_kg
from coopchain.contracts.tests.factories import market_price
from coopchain.errors import InvalidInput


def test_a_fixed_price_is_the_price():
    assert price_per_kg(Terms(fixed_price=95000)).per_kg == 95000


def test_market_plus_six_percent_rounds_half_up_to_the_dong():
    # 101,250 × 1.06 = 107,325
    assert price_per_kg(Terms(market_percent=Decimal(6)), market_price=101250).per_kg == 107325
    # 100,001 × 1.06 = 106,001.06 → 106,001
    assert price_per_kg(Terms(market_percent=Decimal(6)), market_price=100001).per_kg == 106001


def test_a_market_price_below_the_floor_pays_the_floor():
    price = price_per_kg(Terms(market_percent=Decimal(6), floor=90000), market_price=80000)

    assert price.per_kg == 90000
    assert [line["code"] for line in price.lines] == ["market", "percent", "floor"]


def test_a_ceiling_caps_the_price():
    price = price_per_kg(Terms(market_percent=Decimal(6), ceiling=120000), market_price=130000)

    assert price.per_kg == 120000


def test_a_quality_premium_and_penalty_move_the_price():
    terms = Terms(fixed_price=95000)

    assert price_per_kg(terms, adjustment=2000).per_kg == 97000
    assert price_per_kg(terms, adjustment=-5000).per_kg == 90000


def test_the_floor_holds_under_a_quality_penalty():
    assert price_per_kg(Terms(fixed_price=92000, floor=90000), adjustment=-5000).per_kg == 90000


@given(
    market=st.integers(min_value=0, max_value=10**7),
    percent=st.decimals(min_value=-99, max_value=100, places=2),
    adjustment=st.integers(min_value=-(10**6), max_value=10**6),
    bounds=st.tuples(
        st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7)
    ),
)
def test_the_price_is_always_within_floor_and_ceiling(market, percent, adjustment, bounds):
    floor, ceiling = sorted(bounds)
    terms = Terms(market_percent=percent, floor=floor, ceiling=ceiling)

    price = price_per_kg(terms, market_price=market, adjustment=adjustment).per_kg

    assert floor <= price <= ceiling
    assert isinstance(price, int)


def test_a_contracts_price_on_a_day_uses_the_latest_market_price(contract):
    market_price(date(2025, 11, 3), 100000)
    market_price(date(2025, 11, 10), 110000)

    on_the_5th = services.price_on(contract, date(2025, 11, 5))
    graded = services.price_on(contract, date(2025, 11, 12), contract.grades.get(code="G1"))

    assert on_the_5th.per_kg == 106000
    assert graded.per_kg == 116600 + 2000


def test_a_market_linked_contract_without_a_market_price_says_so(contract):

    with pytest.raises(InvalidInput, match="No market price"):
        services.price_on(contract, date(2025, 11, 5))

"""The price of a delivery from a contract's price terms: pure arithmetic on integers.

In order: the base (the fixed price, or the market price moved by the contract's percentage,
rounded half up to the whole dong), the quality grade's premium or penalty, then the floor and
the ceiling, so the farmer's floor holds whatever the grade. Never below zero.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Terms:
    fixed_price: int | None = None
    market_percent: Decimal | None = None  # None: the contract has a fixed price
    floor: int | None = None
    ceiling: int | None = None


@dataclass(frozen=True)
class Price:
    per_kg: int
    lines: list[dict[str, Any]] = field(default_factory=list)


def whole_dong(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def price_per_kg(terms: Terms, *, market_price: int | None = None, adjustment: int = 0) -> Price:
    """`market_price` is needed when the terms follow the market; `adjustment` is the quality
    grade's VND/kg (negative for a penalty)."""
    lines: list[dict[str, Any]] = []
    if terms.market_percent is None:
        if terms.fixed_price is None:
            raise ValueError("fixed terms need a fixed price")
        per_kg = terms.fixed_price
        lines.append({"code": "fixed", "amount": per_kg})
    else:
        if market_price is None:
            raise ValueError("market terms need a market price")
        per_kg = whole_dong(Decimal(market_price) * (100 + terms.market_percent) / 100)
        lines.append({"code": "market", "amount": market_price})
        lines.append(
            {
                "code": "percent",
                "percent": str(terms.market_percent),
                "amount": per_kg - market_price,
            }
        )
    if adjustment:
        per_kg += adjustment
        lines.append({"code": "grade", "amount": adjustment})
    if terms.floor is not None and per_kg < terms.floor:
        lines.append({"code": "floor", "amount": terms.floor - per_kg})
        per_kg = terms.floor
    if terms.ceiling is not None and per_kg > terms.ceiling:
        lines.append({"code": "ceiling", "amount": terms.ceiling - per_kg})
        per_kg = terms.ceiling
    if per_kg < 0:
        lines.append({"code": "zero", "amount": -per_kg})
        per_kg = 0
    return Price(per_kg=per_kg, lines=lines)


def amount(per_kg: int, quantity_kg: Decimal) -> int:
    return whole_dong(Decimal(per_kg) * quantity_kg)

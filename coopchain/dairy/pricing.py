"""The price of milk from a rate chart: base price, total-solids grade, bacteria penalty.

Pure arithmetic on integers and Decimals: price per kg in whole VND (never below zero), the
amount of a delivery rounded half up to the whole dong.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Chart:
    base_price: int
    # (minimum total solids %, VND/kg added) — the highest grade reached applies; below
    # the lowest, the lowest grade's deduction.
    solids_grades: Sequence[tuple[Decimal, int]] = ()
    # (bacteria per ml above which, VND/kg taken off) — the highest grade passed applies.
    bacteria_grades: Sequence[tuple[int, int]] = ()
    # (minimum fat %, minimum SNF %, VND/kg): a fat × SNF grid; when given, the cell reached
    # with the highest fat, then SNF, is the price before bacteria, and milk below every
    # cell is not paid.
    grid: Sequence[tuple[Decimal, Decimal, int]] = ()


@dataclass(frozen=True)
class Price:
    per_kg: int
    lines: list[dict[str, Any]] = field(default_factory=list)


def price_per_kg(
    chart: Chart,
    *,
    total_solids: Decimal | None,
    plate_count: int | None,
    fat: Decimal | None = None,
    snf: Decimal | None = None,
) -> Price:
    if chart.grid:
        return _grid_price(chart, fat=fat, snf=snf, plate_count=plate_count)
    lines: list[dict[str, Any]] = [{"code": "base", "amount": chart.base_price}]
    per_kg = chart.base_price
    if total_solids is not None and chart.solids_grades:
        reached = [g for g in chart.solids_grades if total_solids >= g[0]]
        if reached:
            minimum, adjustment = max(reached, key=lambda g: g[0])
        else:
            # Below the lowest grade pays no more than it: never more than a graded kg.
            minimum, lowest = min(chart.solids_grades, key=lambda g: g[0])
            adjustment = min(lowest, 0)
        if adjustment or reached:
            per_kg += adjustment
            lines.append(
                {
                    "code": "solids" if reached else "below_grades",
                    "amount": adjustment,
                    "grade": str(minimum),
                    "value": str(total_solids),
                }
            )
    if plate_count is not None:
        passed = [g for g in chart.bacteria_grades if plate_count > g[0]]
        if passed:
            above, penalty = max(passed, key=lambda g: g[0])
            per_kg -= penalty
            lines.append(
                {"code": "bacteria", "amount": -penalty, "above": above, "value": plate_count}
            )
    if per_kg < 0:
        lines.append({"code": "floor", "amount": -per_kg})
        per_kg = 0
    return Price(per_kg=per_kg, lines=lines)


def amount(quantity_kg: Decimal, per_kg: int) -> int:
    """What a quantity earns, in whole dong, half a dong rounded up."""
    return int((quantity_kg * per_kg).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _grid_price(
    chart: Chart, *, fat: Decimal | None, snf: Decimal | None, plate_count: int | None
) -> Price:
    reached = (
        [c for c in chart.grid if fat >= c[0] and snf >= c[1]]
        if fat is not None and snf is not None
        else []
    )
    if not reached:
        return Price(per_kg=0, lines=[{"code": "below_grid", "amount": 0}])
    min_fat, min_snf, per_kg = max(reached, key=lambda c: (c[0], c[1]))
    lines: list[dict[str, Any]] = [
        {"code": "grid", "amount": per_kg, "fat": str(min_fat), "snf": str(min_snf)}
    ]
    passed = [g for g in chart.bacteria_grades if plate_count is not None and plate_count > g[0]]
    if passed:
        above, penalty = max(passed, key=lambda g: g[0])
        per_kg -= penalty
        lines.append({"code": "bacteria", "amount": -penalty, "above": above, "value": plate_count})
    if per_kg < 0:
        lines.append({"code": "floor", "amount": -per_kg})
        per_kg = 0
    return Price(per_kg=per_kg, lines=lines)
